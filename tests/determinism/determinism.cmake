# The same commands twice with the same binary give the same bytes
# (tests/determinism/compare_builds.sh; with two binaries it compares a gcc
# and a clang build, which .ci/run does). Included from tests/CMakeLists.txt.
add_test(NAME determinism/repeat
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/compare_builds.sh $<TARGET_FILE:mrv_cli>
                 $<TARGET_FILE:mrv_cli>)
