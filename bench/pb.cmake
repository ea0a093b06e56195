# pb engine benchmark: every rule on every shared pabulib file (parse and rule times).
add_executable(pb_bench ${CMAKE_CURRENT_SOURCE_DIR}/pb_bench.cpp)
target_link_libraries(pb_bench PRIVATE communitise_pb CLI11::CLI11)
target_compile_definitions(pb_bench PRIVATE
  COMMUNITISE_SHARED_DATA="${COMMUNITISE_SHARED_DATA}")
