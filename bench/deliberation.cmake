# Opinion-map benchmarks on planted conversations (10,000 x 200 and 100,000 x 1,000).
if(TARGET communitise_deliberation)
  add_executable(deliberation_bench ${CMAKE_CURRENT_SOURCE_DIR}/deliberation_bench.cpp)
  target_link_libraries(deliberation_bench PRIVATE communitise_deliberation benchmark::benchmark)
endif()
