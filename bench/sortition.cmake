# Sortition benchmark: LEXIMIN (and the legacy estimate) on every shared instance.
if(TARGET communitise_sortition)
  add_executable(sortition_bench ${CMAKE_CURRENT_LIST_DIR}/sortition_bench.cpp)
  target_include_directories(sortition_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/golden)
  target_compile_definitions(sortition_bench PRIVATE
    COMMUNITISE_SHARED_DATA="${COMMUNITISE_SHARED_DATA}"
    COMMUNITISE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(sortition_bench PRIVATE communitise_sortition benchmark::benchmark)
endif()
