# Fuzz targets: every fuzz/fuzz_*.c defines LLVMFuzzerTestOneInput.
# - Always: a replay binary (fuzz/replay.c as main) that runs the seed corpus
#   fuzz/corpus/<name>/ through the target; registered as ctest fuzz/<name>.
# - With -DVIGIL_FUZZ=ON and clang: a real libFuzzer binary <name>_fuzzer.
# cmake/fuzz_entry.h declares LLVMFuzzerTestOneInput (-Wmissing-prototypes).
set(VIGIL_FUZZ_ENTRY -include ${CMAKE_SOURCE_DIR}/cmake/fuzz_entry.h)
file(GLOB VIGIL_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${VIGIL_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name}_replay ${src} ${CMAKE_SOURCE_DIR}/fuzz/replay.c)
  target_include_directories(${name}_replay PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(${name}_replay PRIVATE ${VIGIL_FUZZ_ENTRY})
  target_link_libraries(${name}_replay PRIVATE vigil_server vigil_lib)
  add_test(NAME fuzz/${name} COMMAND ${name}_replay ${CMAKE_SOURCE_DIR}/fuzz/corpus/${name})
  set_tests_properties(fuzz/${name} PROPERTIES TIMEOUT 300)
  if(VIGIL_FUZZ)
    add_executable(${name}_fuzzer ${src})
    target_include_directories(${name}_fuzzer PRIVATE ${CMAKE_SOURCE_DIR}/src)
    target_compile_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer ${VIGIL_FUZZ_ENTRY})
    target_link_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name}_fuzzer PRIVATE vigil_server vigil_lib)
  endif()
endforeach()
