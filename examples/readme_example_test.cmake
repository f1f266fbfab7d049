# Checks that README.md shows examples/${PROGRAM}.cc's code between its
# "README begin" and "README end" markers, verbatim.
file(READ "${SOURCE_DIR}/examples/${PROGRAM}.cc" program)
string(REGEX MATCH "// README begin\n(.*)// README end" _ "${program}")
set(code "${CMAKE_MATCH_1}")
file(READ "${SOURCE_DIR}/README.md" readme)
string(FIND "${readme}" "${code}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md does not show examples/${PROGRAM}.cc's code "
                      "(between its README markers) verbatim")
endif()
