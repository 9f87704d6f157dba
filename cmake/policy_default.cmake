# cmake/policy_default.cmake: the audit's built-in policy
# (src/audit/policy_default.yaml, docs/audit.md (Policy)) becomes
# ${CMAKE_BINARY_DIR}/generated/audit_policy_default.h (cmake/embed.cmake),
# which src/audit/policy_parse.c includes: a readable YAML file in the
# repository, built into the library.
set(VIGIL_POLICY_DEFAULT ${CMAKE_SOURCE_DIR}/src/audit/policy_default.yaml)
set(VIGIL_POLICY_DEFAULT_H ${CMAKE_BINARY_DIR}/generated/audit_policy_default.h)
add_custom_command(OUTPUT ${VIGIL_POLICY_DEFAULT_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DOUT=${VIGIL_POLICY_DEFAULT_H} -DINPUTS=${VIGIL_POLICY_DEFAULT}
    -DNAMES=policy_default_yaml -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${VIGIL_POLICY_DEFAULT} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "embedding the audit's default policy" VERBATIM)
target_sources(vigil_obj PRIVATE ${VIGIL_POLICY_DEFAULT_H})
target_include_directories(vigil_obj PRIVATE ${CMAKE_BINARY_DIR}/generated)
