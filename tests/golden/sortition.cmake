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
if(TARGET communitise_sortition AND TARGET communitise)
  communitise_test(sortition_cli_golden_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/sortition_cli_golden.cpp
    LIBS nlohmann_json::nlohmann_json
    LABELS golden)
  target_compile_definitions(sortition_cli_golden_test PRIVATE
    COMMUNITISE_BINARY="$<TARGET_FILE:communitise>")
  add_dependencies(sortition_cli_golden_test communitise)
endif()
