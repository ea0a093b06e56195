# The ballot box's open-loop client (bench/ballot_load.sh): ballots at a fixed rate.
if(TARGET Boost::headers)
  add_executable(open_loop ${CMAKE_CURRENT_SOURCE_DIR}/open_loop.cpp)
  target_link_libraries(open_loop PRIVATE Boost::headers Threads::Threads)
endif()
