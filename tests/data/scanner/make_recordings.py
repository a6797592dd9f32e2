#!/usr/bin/env python3
"""Writes the key-event recordings of a keyboard-wedge scanner typing
jhc1-credential.txt, as a real evdev device delivers them: EV_MSC/MSC_SCAN before
each key, EV_SYN/SYN_REPORT after each, Shift around shifted characters.

The key tables here are written apart from drivers/src/keyboard_layout.cpp, from
xkb's symbols/us and symbols/jp (106) with evdev code = xkb keycode - 8, so the
recordings check that file rather than repeat it.

    python3 make_recordings.py   # in this folder; rewrites *.events
"""

EV_SYN, EV_KEY, EV_MSC = 0, 1, 4
MSC_SCAN = 4
KEY_LEFTSHIFT, KEY_ENTER = 42, 28

LETTERS = {c: code for c, code in zip("qwertyuiop", range(16, 26))}
LETTERS.update({c: code for c, code in zip("asdfghjkl", range(30, 39))})
LETTERS.update({c: code for c, code in zip("zxcvbnm", range(44, 51))})
DIGITS = {str(d): 2 + (d - 1) % 10 for d in range(10)}  # KEY_1 = 2 ... KEY_0 = 11

# character -> (code, shift); only what a JHC1 text (QR alphanumeric) needs.
COMMON = {" ": (57, False), "$": (5, True), "%": (6, True), "-": (12, False),
          ".": (52, False), "/": (53, False)}
US = {":": (39, True), "*": (9, True), "+": (13, True)}    # ; shifted, 8 shifted, = shifted
JIS = {":": (40, False), "*": (40, True), "+": (39, True)}  # AC11 ':' '*', AC10 ';' '+'


def stroke(c, layout):
    if c.isdigit():
        return DIGITS[c], False
    if c.isalpha():
        return LETTERS[c.lower()], c.isupper()
    if c in COMMON:
        return COMMON[c]
    return layout[c]


def key(lines, code, value):
    lines.append(f"{EV_MSC} {MSC_SCAN} {code}")  # the scan code; any value, decoders skip it
    lines.append(f"{EV_KEY} {code} {value}")
    lines.append(f"{EV_SYN} 0 0")


def record(text, layout, name):
    lines = [f"# {name}: type code value, one struct input_event a line (make_recordings.py)"]
    for c in text:
        code, shift = stroke(c, layout)
        if shift:
            key(lines, KEY_LEFTSHIFT, 1)
        key(lines, code, 1)
        key(lines, code, 0)
        if shift:
            key(lines, KEY_LEFTSHIFT, 0)
    key(lines, KEY_ENTER, 1)
    key(lines, KEY_ENTER, 0)
    with open(name, "w") as out:
        out.write("\n".join(lines) + "\n")


text = open("jhc1-credential.txt").read().strip()
record(text, US, "jhc1-credential-us.events")
record(text, JIS, "jhc1-credential-jis.events")
