"""Feedback names failed hidden cases by their titles, while case code stays hidden."""
from autograder.hidden_grade import redactor

SOURCE = '''from autograder.cases import case


@case("维度越界 → IndexError / dimension out of range → IndexError")
def out_of_range(piece, torch, np):
    secret = "a very secret constant string"
    return piece(torch.zeros(2, 3), 0, 2)
'''


def test_titles_kept_code_redacted():
    redact = redactor([SOURCE])
    title = "维度越界 → IndexError / dimension out of range → IndexError"
    assert redact(f"✗ {title}: expected IndexError") == f"✗ {title}: expected IndexError"
    leaked = redact("got: a very secret constant string; return piece(torch.zeros(2, 3), 0, 2)")
    assert "secret constant" not in leaked and "torch.zeros(2, 3)" not in leaked
