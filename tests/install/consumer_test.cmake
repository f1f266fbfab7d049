# Installs fisheropt from BUILD_DIR into a scratch prefix, then configures,
# builds and runs tests/install/consumer against it with find_package.
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}"
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${result}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/install/consumer"
          -B "${WORK_DIR}/build" -DCMAKE_PREFIX_PATH=${prefix}
          -DCMAKE_BUILD_TYPE=Release
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
