# pb golden tests: every shared pabulib file, pabutools' reference outcomes, the
# official city results (one JSON case file each under pb/cases/) and rule properties.
communitise_test(pb_golden_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/pb_golden_test.cpp
  LIBS communitise_pb nlohmann_json::nlohmann_json
  LABELS golden)
