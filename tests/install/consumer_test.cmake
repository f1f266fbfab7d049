# Installs fisheropt from BUILD_DIR into a scratch prefix, then configures,
# builds and runs tests/install/consumer against it with find_package.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}"
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${result}")
endif()
# The exported interface carries no instruction-set flag (a consumer on
# another CPU level must not inherit -march=native), and it carries Eigen's
# alignment, which consumers must match.
file(GLOB_RECURSE exported "${prefix}/*/fisheroptTargets.cmake")
if(NOT exported)
  message(FATAL_ERROR "no fisheroptTargets.cmake under ${prefix}")
endif()
file(READ "${exported}" targets_text)
if(targets_text MATCHES "-march|-mtune|-mavx")
  message(FATAL_ERROR "the exported targets carry an instruction-set flag: "
                      "${CMAKE_MATCH_0}")
endif()
if(NOT targets_text MATCHES "EIGEN_MAX_ALIGN_BYTES=64")
  message(FATAL_ERROR "the exported targets do not carry Eigen's alignment")
endif()
# The consumer is built for another x86-64 level than the library.
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/install/consumer"
          -B "${WORK_DIR}/build" -DCMAKE_PREFIX_PATH=${prefix}
          -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-march=x86-64-v2
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the consumer project failed: ${result}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/build"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the consumer project failed: ${result}")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE result
                OUTPUT_VARIABLE output)
message(STATUS "consumer printed: ${output}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer program failed: ${result}")
endif()
