# Turns the OpenCL sources into one C array so nothing at run time needs the source tree.
# Called as: cmake -DOUT=file.c -DSOURCES="a.cl|b.cl" -P embed.cmake
string(REPLACE "|" ";" SOURCES "${SOURCES}")
set(text "")
foreach(src IN LISTS SOURCES)
  file(READ "${src}" body HEX)
  string(APPEND text "${body}")
  # a newline between files, so one file's last line never joins the next
  string(APPEND text "0a")
endforeach()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${text}")
string(LENGTH "${text}" hexlen)
math(EXPR len "${hexlen} / 2")
file(WRITE "${OUT}.tmp"
  "/* generated from the files in cl/ by cmake/embed.cmake: do not edit */\n"
  "#include <stddef.h>\n"
  "const char mf_cl_source[] = {${bytes}0x00};\n"
  "const size_t mf_cl_source_len = ${len};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
