# vario_conformance.wasm: a test-only module that runs the shared conformance data
# (tests/conformance/runner.cpp) over the same engine sources and with the same flags as
# vario.wasm, so the wasm build is checked on its own arithmetic. Included by CMakeLists.txt
# inside if(EMSCRIPTEN); tests/wasm/conformance.test.mjs drives it. Not shipped: vario.wasm's
# wasm/exports.txt and wasm/imports.txt are untouched by it.
add_executable(vario_conformance ${VARIO_RUNTIME_SOURCES}
  ${CMAKE_SOURCE_DIR}/tests/conformance/runner.cpp
  ${CMAKE_SOURCE_DIR}/tests/conformance/wasm_exports.cpp)
add_dependencies(vario_conformance vario_schema)
set_target_properties(vario_conformance PROPERTIES OUTPUT_NAME vario_conformance SUFFIX .wasm)
target_include_directories(vario_conformance PRIVATE ${VARIO_WASM_INCLUDES} ${CMAKE_SOURCE_DIR}/tests)
target_compile_options(vario_conformance PRIVATE ${VARIO_WASM_COMPILE_OPTIONS})
# Its only import beyond Emscripten's runtime stubs is vario.regex_test; the engine's other
# host functions are never reached by the runner.
target_link_options(vario_conformance PRIVATE ${VARIO_WASM_LINK_OPTIONS}
  -sEXPORTED_FUNCTIONS=_conformance_alloc,_conformance_free,_conformance_check)
