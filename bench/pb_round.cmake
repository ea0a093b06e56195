# Participatory-budgeting round: results of a large round from close to published.
if(TARGET communitise_app)
  add_executable(pb_round_bench ${CMAKE_CURRENT_SOURCE_DIR}/pb_round_bench.cpp)
  target_link_libraries(pb_round_bench PRIVATE communitise_app communitise_storage)
endif()
