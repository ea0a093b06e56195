# Writes a C++ source holding the given files as string literals, so the server binary
# needs no source tree at run time. Run as:
#   cmake -DOUTPUT=out.cpp -DBASE=dir -DFILES="a;b" -P embed_files.cmake
set(content "// Generated from src/web by embed_files.cmake. Do not edit.\n")
string(APPEND content "#include \"embedded.h\"\n\nnamespace communitise::web {\n\n")
string(APPEND content "const std::vector<EmbeddedFile>& EmbeddedFiles() {\n")
string(APPEND content "  static const std::vector<EmbeddedFile> kFiles = {\n")
foreach(file IN LISTS FILES)
  file(READ "${BASE}/${file}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  # Emit as a sequence of hex escapes in chunks, which survives any file content.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n      \"" escaped "${escaped}")
  math(EXPR size "${hex_length} / 2")
  string(APPEND content "    {\"${file}\", std::string_view(\n      \"${escaped}\", ${size})},\n")
endforeach()
string(APPEND content "  };\n  return kFiles;\n}\n\n}  // namespace communitise::web\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
