# Unit tests: every tests/<module>/test_*.c is one cmocka executable and one
# ctest test named <module>/<name>. They see the library's private headers
# (src/) and get the shared test data folder in VIGIL_TESTDATA; a test whose
# data is absent skips (exit 77) with a message.
if(NOT CMOCKA_FOUND)
  message(WARNING "cmocka not found: unit tests are not built")
  return()
endif()
file(GLOB VIGIL_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*/test_*.c)
foreach(src ${VIGIL_TEST_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(module ${dir} NAME)
  set(target ${module}_${name})
  add_executable(${target} ${src} ${CMAKE_SOURCE_DIR}/tests/helpers.c)
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${target} PRIVATE vigil_lib PkgConfig::CMOCKA)
  add_test(NAME ${module}/${name} COMMAND ${target})
  set_tests_properties(${module}/${name} PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "VIGIL_TESTDATA=${VIGIL_TESTDATA};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};CMOCKA_MESSAGE_OUTPUT=stdout")
endforeach()

# Integration tests: tests/integration/test_*.sh run the real CLI on real images.
file(GLOB VIGIL_IT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/test_*.sh)
foreach(src ${VIGIL_IT_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME integration/${name} COMMAND bash ${src})
  set_tests_properties(integration/${name} PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 1200
    ENVIRONMENT "VIGIL=$<TARGET_FILE:vigil>;VIGIL_TESTDATA=${VIGIL_TESTDATA};VIGIL_SOURCE_DIR=${CMAKE_SOURCE_DIR};VIGIL_BUILD_DIR=${CMAKE_BINARY_DIR}")
endforeach()
