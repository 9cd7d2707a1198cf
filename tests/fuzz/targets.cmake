# The fuzz targets, one source file each in tests/fuzz: shared by the
# libFuzzer build (tests/fuzz/CMakeLists.txt) and the replay tests that run
# every corpus and regression input with any compiler (tests/fuzz/replay.cmake).
set(MRV_FUZZ_TARGETS csv_reader number timestamp formula methodology_loader project_loader
                     monitoring_data)
