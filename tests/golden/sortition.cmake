# Golden tests of the sortition engine over the shared instances
# (COMMUNITISE_SHARED_DATA/sortition); expected figures live in sortition/*.case.
if(TARGET communitise_sortition)
  communitise_test(sortition_golden_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/sortition_golden.cpp
    LIBS communitise_sortition
    LABELS golden)
  target_include_directories(sortition_golden_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  communitise_test(sortition_legacy_golden_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/sortition_legacy_golden.cpp
    LIBS communitise_sortition
    LABELS slow)
  target_include_directories(sortition_legacy_golden_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
endif()
