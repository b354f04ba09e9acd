"""Prints, one JSON object a line, what pydicom reads of each DICOM file in pydicom's own test corpus.

First line: {"corpus": [directories]}. Then per file: {"file": path, "error": message} when pydicom cannot read it,
else {"file": path, "forced": bool, "elements": [...]}, the top-level elements of the file meta information and the
data set before the pixel data, each {"tag": "GGGGEEEE", "vr": VR or null, "md5": of the raw value bytes} for a
value still raw, {"items": n} for a parsed sequence, plus "str" (decoded text, values joined by a backslash) for
text VRs and "num" for binary numbers.
"""
import hashlib
import json
import os
import sys
import warnings

import pydicom
import pydicom.datadict
from pydicom.dataelem import RawDataElement
from pydicom.multival import MultiValue

warnings.simplefilter("ignore")
TEXT = {"AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
NUM = {"US", "SS", "UL", "SL", "FL", "FD"}

base = os.path.join(os.path.dirname(pydicom.__file__), "data")
dirs = [os.path.join(base, "test_files"), os.path.join(base, "charset_files")]
print(json.dumps({"corpus": dirs}))


def text(value):
    if isinstance(value, (list, MultiValue)):
        return "\\".join(str(v) for v in value)
    return "" if value is None else str(value)


def describe(ds, tag):
    raw = ds._dict[tag]
    out = {"tag": "%08X" % int(tag)}
    if pydicom.datadict.dictionary_has_tag(tag):
        out["name"] = pydicom.datadict.dictionary_description(tag)
    if isinstance(raw, RawDataElement):
        out["vr"] = raw.VR
        out["md5"] = hashlib.md5(raw.value or b"").hexdigest()
    try:
        elem = ds[tag]
    except Exception as e:  # a value pydicom cannot convert: its raw bytes still count
        out["convert_error"] = str(e)
        return out
    out["vr"] = elem.VR
    value = elem.value
    if elem.VR == "SQ":
        out["items"] = len(value)
    elif isinstance(value, bytes) and "md5" not in out:
        out["md5"] = hashlib.md5(value).hexdigest()
    elif elem.VR in TEXT:
        out["str"] = text(value)
    elif elem.VR in NUM and "md5" not in out:
        out["num"] = [float(v) for v in (value if isinstance(value, (list, MultiValue)) else [value])] if value not in (None, "") else []
    return out


for d in dirs:
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if not os.path.isfile(path):
            continue
        forced = False
        try:
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            except pydicom.errors.InvalidDicomError:
                forced = True
                ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
            elements = []
            for part in (ds.file_meta, ds):
                if part is None:
                    continue
                for tag in sorted(part._dict.keys()):
                    elements.append(describe(part, tag))
            print(json.dumps({"file": path, "forced": forced, "elements": elements}))
        except Exception as e:
            print(json.dumps({"file": path, "error": "%s: %s" % (type(e).__name__, e)}))
