"""Word lists for narrative elements and Labov structure (written by the StoryLoom developers).

Files (UTF-8, ``#`` starts a comment, blank lines ignored):

* ``zh_characters.tsv`` / ``en_characters.tsv`` — ``word<TAB>kind`` with kind
  ``kinship``, ``role`` or ``group``;
* ``zh_places.txt`` / ``en_places.txt`` — common place nouns;
* ``zh_place_suffixes.txt`` — head characters that make a noun a place (…院, …站);
* ``zh_times.txt`` / ``en_times.txt`` — time words;
* ``zh_not_elements.tsv`` — ``word<TAB>which`` words never reported as that element
  (``time``, ``place``, ``object``, ``person``);
* ``en_not_elements.tsv`` — the same for English;
* ``structure_cues.tsv`` — ``lang<TAB>role<TAB>cue<TAB>weight`` cues for Labov roles.

Loaded by :mod:`storyloom.analysis._lexicons`.
"""
