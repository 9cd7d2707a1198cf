# Resource-limit tests (tests/limits/limits.py): one ctest test per case.
# Cases named pending-* fail today and are registered disabled
# (tests/regressions/pending/README.md). Included from tests/CMakeLists.txt.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
execute_process(COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/limits.py mrv --list
                OUTPUT_VARIABLE MRV_LIMIT_CASES OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" MRV_LIMIT_CASES "${MRV_LIMIT_CASES}")
# Memory and time budgets mean nothing under ASan: the script then checks
# only the behaviour.
set(MRV_SANITIZED $<IF:$<BOOL:${MRV_SANITIZE}>,1,0>)
foreach(case ${MRV_LIMIT_CASES})
  add_test(NAME limits/${case}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/limits.py $<TARGET_FILE:mrv_cli> ${case})
  set_tests_properties(limits/${case} PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "MRV_SANITIZED=${MRV_SANITIZED};MRV_BENCH_GENERATE=$<TARGET_FILE:mrv_bench_generate>")
  if(case MATCHES "^pending-")
    set_tests_properties(limits/${case} PROPERTIES DISABLED TRUE)
  endif()
endforeach()
