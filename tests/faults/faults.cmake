# Fault tests (tests/faults/faults.py): one ctest test per case, with the
# LD_PRELOAD shim that holds mrv in fsync so that it can be interrupted.
# Cases named pending-* fail today and are registered disabled
# (tests/regressions/pending/README.md). Included from tests/CMakeLists.txt.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_library(mrv_slow_fsync MODULE ${CMAKE_CURRENT_LIST_DIR}/slow_fsync.cpp)
target_link_libraries(mrv_slow_fsync PRIVATE ${CMAKE_DL_LIBS})
execute_process(COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/faults.py mrv --list
                OUTPUT_VARIABLE MRV_FAULT_CASES OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" MRV_FAULT_CASES "${MRV_FAULT_CASES}")
foreach(case ${MRV_FAULT_CASES})
  add_test(NAME faults/${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/faults.py $<TARGET_FILE:mrv_cli> ${case})
  set_tests_properties(faults/${case} PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "MRV_SLOW_FSYNC=$<TARGET_FILE:mrv_slow_fsync>")
  if(case MATCHES "^pending-")
    set_tests_properties(faults/${case} PROPERTIES DISABLED TRUE)
  endif()
endforeach()
