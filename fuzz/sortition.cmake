# The sortition CSV readers (respondents, quotas) and the invitation address-list reader.
# The readers are compiled on their own: the library links COIN-OR, which they do not need.
#   build-fuzz/fuzz/sortition_csv_fuzz fuzz/corpus/sortition -max_total_time=300
#   build-fuzz/fuzz/address_list_fuzz fuzz/corpus/address_list -max_total_time=60
if(TARGET communitise_sortition)
  set(_sortition ${PROJECT_SOURCE_DIR}/src/engines/sortition)
  communitise_fuzz_target(sortition_csv_fuzz
    SOURCES ${_sortition}/csv_io.cpp ${_sortition}/model.cpp
    INCLUDES ${_sortition}/include
    LIBS nlohmann_json::nlohmann_json)
  communitise_fuzz_target(address_list_fuzz
    SOURCES ${_sortition}/invitations.cpp ${_sortition}/random.cpp
    INCLUDES ${_sortition}/include)
endif()
