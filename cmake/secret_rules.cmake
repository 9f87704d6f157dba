# cmake/secret_rules.cmake: the secret scanner's built-in rules
# (src/audit/secret_rules.yaml) become ${CMAKE_BINARY_DIR}/generated/secret_rules_data.h
# (cmake/embed.cmake: `secret_rules_yaml`, `secret_rules_yaml_LEN`), which
# src/audit/secret_rules.c includes: edited as YAML, built into the library.
set(VIGIL_SECRET_RULES ${CMAKE_SOURCE_DIR}/src/audit/secret_rules.yaml)
set(VIGIL_SECRET_RULES_H ${CMAKE_BINARY_DIR}/generated/secret_rules_data.h)
add_custom_command(OUTPUT ${VIGIL_SECRET_RULES_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DOUT=${VIGIL_SECRET_RULES_H} -DINPUTS=${VIGIL_SECRET_RULES}
    -DNAMES=secret_rules_yaml -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${VIGIL_SECRET_RULES} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "embedding the built-in secret rules" VERBATIM)
target_sources(vigil_obj PRIVATE ${VIGIL_SECRET_RULES_H})
target_include_directories(vigil_obj PRIVATE ${CMAKE_BINARY_DIR}/generated)
