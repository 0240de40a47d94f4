# lit configuration of the AGTF regression suite.
import os

import lit.formats
import lit.util

config.name = "AGTF"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.agtf_obj_root, "test")

# The project's tools first, then FileCheck, not and split-file.
for path in (config.llvm_tools_dir, config.agtf_tools_dir):
    config.environment["PATH"] = os.path.pathsep.join(
        (path, config.environment.get("PATH", "")))
config.environment["PATH"] = os.path.pathsep.join(
    (config.environment["PATH"], os.environ.get("PATH", "")))
config.substitutions.append(("%agtf_src_root", config.agtf_src_root))
# Debian's Python, which has torch 1.13 and torchvision (test/Import).
config.substitutions.append(("%python", "/usr/bin/python3"))
