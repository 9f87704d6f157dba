# Unit tests: every tests/<module>/test_*.c is one cmocka executable and one
# ctest test named <module>/<name>. They see the library's private headers
# (src/) and get the shared test data folder in VIGIL_TESTDATA; a test whose
# data is absent skips (exit 77) with a message.
#
# Both store backends: the tests of the modules in VIGIL_PG_TEST_MODULES
# run a second time as pg/<module>/<name> with VIGIL_TEST_PG set to the base
# DSN of a real PostgreSQL server on 127.0.0.1 (the fixture "pg": pg/start
# runs scripts/pg-test.sh start, pg/stop stops it and removes its folder).
# Each build folder has its own port (25430 + a hash of the folder's path
# modulo 1000, or -DVIGIL_TEST_PG_PORT=N), so build/ and build-asan/ run
# at once. tests/helpers.c
# gives each store of a test a fresh database (th_temp_store). The
# integration tests of VIGIL_PG_IT_TESTS run as pg/integration/<name> too,
# once they take their --db from vigil_db (tests/integration/lib/db.sh).
if(NOT CMOCKA_FOUND)
  message(WARNING "cmocka not found: unit tests are not built")
  return()
endif()

set(VIGIL_PG_TEST_MODULES store db match server indexer report notifier)
set(VIGIL_PG_IT_TESTS test_serve test_serve_v1 test_serve_auth test_db_update test_scan test_serve_modes
  test_real_image test_layered test_bad_images test_serve_v1_defects test_serve_hostile
  test_client_klar test_client_harbor_clair test_client_clairctl_v1 test_client_clair_scanner test_registry_events
  test_client_clairctl test_notifier test_notifier_mq test_db_artifact)
list(APPEND VIGIL_PG_IT_TESTS test_inspect)
list(APPEND VIGIL_PG_IT_TESTS test_distro_mariner)
string(MD5 _vigil_dir_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${_vigil_dir_hash}" 0 3 _vigil_dir_hash)
# below Linux's ephemeral ports (32768-60999): a client socket or another
# test's free port never takes it
math(EXPR _vigil_pg_port "25430 + (0x${_vigil_dir_hash} % 1000)")
set(VIGIL_TEST_PG_PORT "" CACHE STRING
  "port of the tests' PostgreSQL server on 127.0.0.1 (empty: derived from the build folder)")
if(VIGIL_TEST_PG_PORT)
  set(_vigil_pg_port ${VIGIL_TEST_PG_PORT})
endif()
set(VIGIL_TEST_PG_DIR ${CMAKE_BINARY_DIR}/pg)
set(VIGIL_TEST_PG_DSN postgres://postgres@127.0.0.1:${_vigil_pg_port}/postgres)

add_test(NAME pg/start
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test.sh start ${VIGIL_TEST_PG_DIR} ${_vigil_pg_port})
set_tests_properties(pg/start PROPERTIES FIXTURES_SETUP pg SKIP_RETURN_CODE 77 TIMEOUT 300)
add_test(NAME pg/stop COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test.sh stop ${VIGIL_TEST_PG_DIR} --remove)
set_tests_properties(pg/stop PROPERTIES FIXTURES_CLEANUP pg TIMEOUT 120)

file(GLOB VIGIL_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*/test_*.c)
foreach(src ${VIGIL_TEST_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(module ${dir} NAME)
  set(target ${module}_${name})
  set(env "VIGIL_TESTDATA=${VIGIL_TESTDATA};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};CMOCKA_MESSAGE_OUTPUT=stdout")
  add_executable(${target} ${src} ${CMAKE_SOURCE_DIR}/tests/helpers.c ${CMAKE_SOURCE_DIR}/tests/th_http.c)
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${target} PRIVATE vigil_server vigil_lib PkgConfig::CMOCKA)
  # test_pg is the PostgreSQL backend's own test: only under pg/
  if(NOT name STREQUAL "test_pg")
    add_test(NAME ${module}/${name} COMMAND ${target})
    set_tests_properties(${module}/${name} PROPERTIES
      SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT "${env}")
  endif()
  if(module IN_LIST VIGIL_PG_TEST_MODULES)
    add_test(NAME pg/${module}/${name} COMMAND ${target})
    set_tests_properties(pg/${module}/${name} PROPERTIES
      SKIP_RETURN_CODE 77 TIMEOUT 600 FIXTURES_REQUIRED pg LABELS pg
      ENVIRONMENT "${env};VIGIL_TEST_PG=${VIGIL_TEST_PG_DSN}")
  endif()
endforeach()

# Integration tests: tests/integration/test_*.sh run the real CLI on real images.
file(GLOB VIGIL_IT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/test_*.sh)
foreach(src ${VIGIL_IT_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  set(env "VIGIL=$<TARGET_FILE:vigil>;VIGIL_TESTDATA=${VIGIL_TESTDATA};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};VIGIL_BUILD_DIR=${CMAKE_BINARY_DIR}")
  add_test(NAME integration/${name} COMMAND bash ${src})
  set_tests_properties(integration/${name} PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 1200 ENVIRONMENT "${env}")
  if(name IN_LIST VIGIL_PG_IT_TESTS)
    # registered under pg/ once the script takes its stores from vigil_db
    # (lib/db.sh), newdb (lib/serve.sh) or v1c_store (lib/v1clients.sh);
    # re-checked whenever it changes
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
    file(READ ${src} _vigil_it_text)
    if(_vigil_it_text MATCHES "(vigil_db|newdb|v1c_store) ")
      add_test(NAME pg/integration/${name} COMMAND bash ${src})
      set_tests_properties(pg/integration/${name} PROPERTIES
        SKIP_RETURN_CODE 77 TIMEOUT 1200 FIXTURES_REQUIRED pg LABELS pg
        ENVIRONMENT "${env};VIGIL_TEST_PG=${VIGIL_TEST_PG_DSN}")
    else()
      message(STATUS "integration/${name}: not run on PostgreSQL yet (its --db is not from vigil_db)")
    endif()
  endif()
endforeach()

# clair-scanner's layer server always listens on port 9279 (its constant):
# its two runs (SQLite, PostgreSQL) must not overlap, or one skips
foreach(t integration/test_client_clair_scanner pg/integration/test_client_clair_scanner)
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES RESOURCE_LOCK clair_scanner_port_9279)
  endif()
endforeach()
