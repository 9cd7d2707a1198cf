# Replays every fuzz input kept in the tree (the seed corpora and every input
# that ever crashed a target) through the fuzz targets, built with a plain
# main instead of libFuzzer: so the regressions run with gcc, clang and the
# sanitizer build, in every ctest run. Included from tests/CMakeLists.txt.
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
foreach(name ${MRV_FUZZ_TARGETS})
  add_executable(mrv_fuzz_replay_${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp
                                         ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
  target_include_directories(mrv_fuzz_replay_${name} PRIVATE ${PROJECT_SOURCE_DIR}/libmrv/src)
  target_link_libraries(mrv_fuzz_replay_${name} PRIVATE mrv mrv_options fmt::fmt)
  target_compile_definitions(mrv_fuzz_replay_${name} PRIVATE MRV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME fuzz-replay/${name}
           COMMAND mrv_fuzz_replay_${name} ${CMAKE_CURRENT_LIST_DIR}/corpus/${name}
                   ${CMAKE_CURRENT_LIST_DIR}/regressions/${name})
endforeach()
