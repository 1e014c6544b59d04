# The conformance runner is shared with the wasm test module (tests/conformance/wasm.cmake), so
# it is a source of its own rather than part of one test file. Included by CMakeLists.txt after
# the unit-test loop, which creates the targets.
foreach(target test_runtime_allocation_conformance test_runtime_consent_tc_string_conformance)
  target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/tests/conformance/runner.cpp)
endforeach()
