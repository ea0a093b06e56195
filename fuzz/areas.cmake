# The postcode→area CSV reader (area import); it needs nothing else of the application layer.
communitise_fuzz_target(areas_csv_fuzz
  SOURCES ${PROJECT_SOURCE_DIR}/src/app/public_bodies/postcode_csv.cpp
  INCLUDES ${PROJECT_SOURCE_DIR}/src/app/include)
