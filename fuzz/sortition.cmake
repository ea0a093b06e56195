# libFuzzer target for the sortition CSV readers. Configure a separate build with
#   CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCOMMUNITISE_FUZZ=ON \
#     -DCOMMUNITISE_ENGINES_ONLY=ON -DCOMMUNITISE_TESTS=OFF -DCOMMUNITISE_BENCH=OFF
# then run: build-fuzz/fuzz/sortition_csv_fuzz fuzz/corpus/sortition -max_total_time=300
if(TARGET communitise_sortition AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_fuzz_flags -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer)
  # The readers are compiled again with coverage instrumentation (the library itself
  # links COIN-OR, which the fuzz target does not need).
  add_executable(sortition_csv_fuzz
    ${CMAKE_CURRENT_LIST_DIR}/sortition_csv_fuzz.cpp
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/csv_io.cpp
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/model.cpp
    ${PROJECT_SOURCE_DIR}/src/core/csv.cpp
    ${PROJECT_SOURCE_DIR}/src/core/text.cpp
    ${PROJECT_SOURCE_DIR}/src/core/result.cpp)
  target_include_directories(sortition_csv_fuzz PRIVATE
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/include ${PROJECT_SOURCE_DIR}/src/core/include)
  target_compile_options(sortition_csv_fuzz PRIVATE ${_fuzz_flags})
  target_link_options(sortition_csv_fuzz PRIVATE ${_fuzz_flags})
  target_link_libraries(sortition_csv_fuzz PRIVATE nlohmann_json::nlohmann_json)
endif()

# libFuzzer target for the invitation address-list parser:
#   build-fuzz/fuzz/address_list_fuzz fuzz/corpus/address_list -max_total_time=60
if(TARGET communitise_sortition AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_executable(address_list_fuzz
    ${CMAKE_CURRENT_LIST_DIR}/address_list_fuzz.cpp
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/invitations.cpp
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/random.cpp
    ${PROJECT_SOURCE_DIR}/src/core/csv.cpp
    ${PROJECT_SOURCE_DIR}/src/core/text.cpp
    ${PROJECT_SOURCE_DIR}/src/core/result.cpp)
  target_include_directories(address_list_fuzz PRIVATE
    ${PROJECT_SOURCE_DIR}/src/engines/sortition/include ${PROJECT_SOURCE_DIR}/src/core/include)
  target_compile_options(address_list_fuzz PRIVATE ${_fuzz_flags})
  target_link_options(address_list_fuzz PRIVATE ${_fuzz_flags})
endif()
