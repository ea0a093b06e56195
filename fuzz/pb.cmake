# libFuzzer target for the pabulib reader (clang only; COMMUNITISE_FUZZ=ON):
#   CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCOMMUNITISE_FUZZ=ON \
#     -DCOMMUNITISE_ENGINES_ONLY=ON -DCOMMUNITISE_TESTS=OFF -DCOMMUNITISE_BENCH=OFF
#   cmake --build build-fuzz --target pb_parser_fuzz
#   cmake --build build-fuzz --target pb_parser_fuzz_run   # bounded: PB_FUZZ_SECONDS (30)
add_executable(pb_parser_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/pb_parser_fuzz.cpp)
target_link_libraries(pb_parser_fuzz PRIVATE communitise_pb)
target_compile_options(pb_parser_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_options(pb_parser_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
# The library itself is instrumented too, so coverage guides the search inside it.
target_compile_options(communitise_pb PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
target_compile_options(communitise_core PRIVATE -fsanitize=address,undefined)

set(PB_FUZZ_SECONDS 30 CACHE STRING "Seconds for the bounded pb fuzz run")
add_custom_target(pb_parser_fuzz_run
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/pb_corpus
  COMMAND pb_parser_fuzz -max_total_time=${PB_FUZZ_SECONDS} -max_len=4096 -timeout=10
          ${CMAKE_CURRENT_BINARY_DIR}/pb_corpus ${CMAKE_CURRENT_SOURCE_DIR}/corpus/pb
  DEPENDS pb_parser_fuzz
  USES_TERMINAL)
