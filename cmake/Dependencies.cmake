# All third-party libraries come from Debian 12 packages; see README.md for why each
# one is here. This file is the only place that finds them.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)

# COIN-OR LP (CLP) and MIP (CBC) for the sortition engine.
pkg_check_modules(COIN REQUIRED IMPORTED_TARGET cbc osi-clp clp)

# GMP rationals (C++ bindings) for the pb engine's exact arithmetic.
pkg_check_modules(GMPXX REQUIRED IMPORTED_TARGET gmpxx gmp)

if(COMMUNITISE_TESTS)
  find_package(GTest REQUIRED)
endif()
if(COMMUNITISE_BENCH)
  find_package(benchmark REQUIRED)
endif()

find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)

if(NOT COMMUNITISE_ENGINES_ONLY)
  find_package(Boost 1.74 REQUIRED)
  find_package(spdlog REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)

  find_package(SQLite3 REQUIRED)
  find_package(PostgreSQL REQUIRED)

  # jemalloc, the server binary's allocator (not under the sanitizers, which bring
  # their own).
  if(NOT COMMUNITISE_SANITIZE)
    pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  endif()

  find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
  add_library(mustache INTERFACE)
  target_include_directories(mustache SYSTEM INTERFACE ${MUSTACHE_INCLUDE_DIR})
endif()

# communitise_test(NAME SOURCES... LIBS ...) — one GoogleTest binary registered with ctest.
# Tests are labelled so `ctest -L` can pick a layer (unit, golden, storage, e2e, slow).
# communitise_precompile(TARGET [HEADER...]): a precompiled header of the heavy headers
# most of TARGET's files include (nlohmann/json and the standard library, plus HEADERs),
# for libraries and tests with many small files. These targets build SQL and HTML from
# string constants, so GCC 12's false string-overflow reports are turned off for them.
function(communitise_precompile target)
  if(COMMUNITISE_FUZZ)
    return()
  endif()
  target_precompile_headers(${target} PRIVATE
    <nlohmann/json.hpp> <string> <string_view> <vector> <optional> <map> <memory>
    <functional> ${ARGN})
  target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json)
  target_compile_options(${target} PRIVATE ${COMMUNITISE_GCC12_STRING_WARNING})
endfunction()

function(communitise_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  list(LENGTH T_SOURCES source_count)
  if(source_count GREATER 2)
    communitise_precompile(${name} <gtest/gtest.h>)
  endif()
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    COMMUNITISE_SHARED_DATA="${COMMUNITISE_SHARED_DATA}"
    COMMUNITISE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
