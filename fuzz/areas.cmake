# libFuzzer target for the postcode→area CSV reader (area import). Built by scripts/fuzz.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_fuzz_flags -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer)
  # The parser and core are compiled again with coverage instrumentation; the parser
  # needs nothing else of the application layer.
  add_executable(areas_csv_fuzz
    ${CMAKE_CURRENT_LIST_DIR}/areas_csv_fuzz.cpp
    ${PROJECT_SOURCE_DIR}/src/app/public_bodies/postcode_csv.cpp
    ${PROJECT_SOURCE_DIR}/src/core/csv.cpp
    ${PROJECT_SOURCE_DIR}/src/core/text.cpp
    ${PROJECT_SOURCE_DIR}/src/core/result.cpp)
  target_include_directories(areas_csv_fuzz PRIVATE
    ${PROJECT_SOURCE_DIR}/src/app/include ${PROJECT_SOURCE_DIR}/src/core/include)
  target_compile_options(areas_csv_fuzz PRIVATE ${_fuzz_flags})
  target_link_options(areas_csv_fuzz PRIVATE ${_fuzz_flags})
endif()
