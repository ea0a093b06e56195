# Selection time through the application layer on every shared sortition instance.
if(TARGET communitise_app)
  add_executable(panels_bench ${CMAKE_CURRENT_LIST_DIR}/panels_bench.cpp)
  target_compile_definitions(panels_bench PRIVATE COMMUNITISE_SHARED_DATA="${COMMUNITISE_SHARED_DATA}")
  target_link_libraries(panels_bench PRIVATE communitise_app communitise_sortition)
endif()
