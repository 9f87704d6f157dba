# cmake/html_assets.cmake: the HTML report's page, style and script
# (src/report/html_assets/report.{html,css,js}) become
# ${CMAKE_BINARY_DIR}/generated/report_html_assets.h (cmake/embed.cmake), which
# src/report/html.c includes: edited as plain files, built into the binary.
set(VIGIL_HTML_ASSET_DIR ${CMAKE_SOURCE_DIR}/src/report/html_assets)
set(VIGIL_HTML_ASSETS ${VIGIL_HTML_ASSET_DIR}/report.html ${VIGIL_HTML_ASSET_DIR}/report.css
  ${VIGIL_HTML_ASSET_DIR}/report.js)
string(JOIN "|" _vigil_html_inputs ${VIGIL_HTML_ASSETS})
set(VIGIL_HTML_ASSETS_H ${CMAKE_BINARY_DIR}/generated/report_html_assets.h)
add_custom_command(OUTPUT ${VIGIL_HTML_ASSETS_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DOUT=${VIGIL_HTML_ASSETS_H} -DINPUTS=${_vigil_html_inputs}
    -DNAMES=html_page|html_css|html_js -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${VIGIL_HTML_ASSETS} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "embedding the HTML report's assets" VERBATIM)
target_sources(vigil_obj PRIVATE ${VIGIL_HTML_ASSETS_H})
target_include_directories(vigil_obj PRIVATE ${CMAKE_BINARY_DIR}/generated)

# vigil diff's page (src/audit/diff_html.c): its own skeleton and script,
# the report's style plus a few rules of its own.
set(VIGIL_DIFF_ASSETS ${VIGIL_HTML_ASSET_DIR}/diff.html ${VIGIL_HTML_ASSET_DIR}/report.css
  ${VIGIL_HTML_ASSET_DIR}/diff.css ${VIGIL_HTML_ASSET_DIR}/diff.js)
string(JOIN "|" _vigil_diff_inputs ${VIGIL_DIFF_ASSETS})
set(VIGIL_DIFF_ASSETS_H ${CMAKE_BINARY_DIR}/generated/diff_html_assets.h)
add_custom_command(OUTPUT ${VIGIL_DIFF_ASSETS_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DOUT=${VIGIL_DIFF_ASSETS_H} -DINPUTS=${_vigil_diff_inputs}
    -DNAMES=diff_page|diff_report_css|diff_css|diff_js -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${VIGIL_DIFF_ASSETS} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "embedding vigil diff's HTML assets" VERBATIM)
target_sources(vigil_obj PRIVATE ${VIGIL_DIFF_ASSETS_H})
