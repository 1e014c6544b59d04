# The conformance runner is shared with the wasm test module (tests/conformance/wasm.cmake), so
# it is a source of its own rather than part of one test file. Included by CMakeLists.txt after
# the unit-test loop, which creates the target.
target_sources(test_runtime_allocation_conformance PRIVATE
  ${CMAKE_SOURCE_DIR}/tests/conformance/runner.cpp)
