# The pabulib reader. Unlike the CSV readers it links the PB library itself, which is
# instrumented too, so coverage guides the search inside the parser and the rules the
# target runs on what it parsed.
add_executable(pb_parser_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/pb_parser_fuzz.cpp)
target_link_libraries(pb_parser_fuzz PRIVATE communitise_pb)
target_compile_options(pb_parser_fuzz PRIVATE ${COMMUNITISE_FUZZ_FLAGS})
target_link_options(pb_parser_fuzz PRIVATE ${COMMUNITISE_FUZZ_FLAGS})
target_compile_options(communitise_pb PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
target_compile_options(communitise_core PRIVATE -fsanitize=address,undefined)
