"""Decoders of the load cache's models, written by load.codec from the models: do not edit.

After changing a model, rewrite this file with `python -m generator.load.codec` (a test checks that it
is current). load.codec takes a factory from here only when its digest matches the text it writes
now, and compiles that text otherwise: a stale file makes a warm run slower, never wrong.
"""

from typing import Any, Callable

DECODERS: dict[str, tuple[str, Callable[..., Any]]] = {}


def make(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (type(a0) is str and (a1 is None or type(a1) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'fingerprint': a1}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.base.Ref'] = ('78578a045209000d', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'severity': (None if a0 is None else D0(a0)), 'probability': (None if a1 is None else D1(a1)), 'p1': (None if a2 is None else D2(a2)), 'p2': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.base.RiskEstimate'] = ('ba11d34ea903f04b', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str and type(a9) is str and (a10 is None or type(a10) is str) and (a12 is None or type(a12) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'path': a8, 'sha256': a9, 'issuer': a10, 'issued': (None if a11 is None else D11(a11)), 'reference': a12}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Evidence'] = ('1b2227b03c8948e1', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str and type(a9) is bool and (a10 is None or type(a10) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'item': a7, 'requirement': a8, 'applicable': a9, 'justification': a10, 'standards': D11(a11), 'evidence': D12(a12)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Gspr'] = ('df3a6f932effd67e', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str and (a9 is None or type(a9) is bool) and (a10 is None or type(a10) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'number': a7, 'edition': a8, 'harmonised': a9, 'scope': a10}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Standard'] = ('9147f33111ddfeb0', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a12 is None or type(a12) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'type': a10, 'document': a11, 'revision': a12, 'implements': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.DesignOutput'] = ('35341b6b58b8330a', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not (type(a0) is str) or type(mask) is not int:
            raise Invalid
        d = {'tool': a0, 'source': D1(a1), 'uid': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Origin'] = ('c133f52255169f44', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and type(a10) is str and (a11 is None or type(a11) is str) and (a12 is None or type(a12) is str) and (a13 is None or type(a13) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'statement': a10, 'rationale': a11, 'type': a12, 'verification_method': a13, 'derived_from': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Requirement'] = ('12f4eb3ce90111c6', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a13 is None or type(a13) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'text': a10, 'level': a11, 'order': (None if a12 is None else D12(a12)), 'document': a13, 'contains': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Section'] = ('dbc6adac6713f7cb', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (type(a1) is str and (a3 is None or type(a3) is str) and (a4 is None or type(a4) is str)) or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'result': a1, 'executed_by': (None if a2 is None else D2(a2)), 'evidence': a3, 'notes': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.TestResult'] = ('2f8ddf4d64c50e97', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and type(a10) is str and (a11 is None or type(a11) is str) and (a12 is None or type(a12) is str) and (a13 is None or type(a13) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'statement': a10, 'source': a11, 'user_group': a12, 'use_environment': a13}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.UserNeed'] = ('3681b99b1b7152c4', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a15 is None or type(a15) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'method': a10, 'acceptance_criteria': a11, 'sample_size': (None if a12 is None else D12(a12)), 'results': D13(a13), 'validates': D14(a14), 'type': a15}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.ValidationTest'] = ('92941aef785df5ed', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a15 is None or type(a15) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'method': a10, 'acceptance_criteria': a11, 'sample_size': (None if a12 is None else D12(a12)), 'results': D13(a13), 'verifies': D14(a14), 'purpose': a15}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.VerificationTest'] = ('21b2dce42f1d5d76', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a8 is None or type(a8) is str) and type(a9) is str and (a10 is None or type(a10) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'number': a8, 'revision': a9, 'file': a10, 'sha256': (None if a11 is None else D11(a11)), 'effective': (None if a12 is None else D12(a12)), 'review_due': (None if a13 is None else D13(a13)), 'supersedes': D14(a14), 'training_roles': D15(a15)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.documents.Document'] = ('b09dffe5ed1820d4', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not ((a2 is None or type(a2) is str)) or type(mask) is not int:
            raise Invalid
        d = {'verified': (None if a0 is None else D0(a0)), 'by': (None if a1 is None else D1(a1)), 'evidence': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.AdverseEffectCheck'] = ('3244c6caefbb2de7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D12, D13, D14, D15, D16, D17, D19, D20, D21):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 23:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a8 is None or type(a8) is str) and (a9 is None or type(a9) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a18 is None or type(a18) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'sources': D7(a7), 'area': a8, 'problem': a9, 'containment': a10, 'investigation': a11, 'root_cause': (None if a12 is None else D12(a12)), 'actions': D13(a13), 'effectiveness': (None if a14 is None else D14(a14)), 'opened': (None if a15 is None else D15(a15)), 'due': (None if a16 is None else D16(a16)), 'closed': (None if a17 is None else D17(a17)), 'cancel_reason': a18, 'risk': (None if a19 is None else D19(a19)), 'reportability': (None if a20 is None else D20(a20)), 'adverse_effect': (None if a21 is None else D21(a21))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Capa'] = ('9b02e1c0744ea8d5', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D2, D3, D5):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 8:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, mask = v
        if not (type(a0) is str and type(a1) is str and type(a4) is str and (a6 is None or type(a6) is str)) or type(mask) is not int:
            raise Invalid
        d = {'type': a0, 'description': a1, 'owner': (None if a2 is None else D2(a2)), 'due': (None if a3 is None else D3(a3)), 'status': a4, 'done': (None if a5 is None else D5(a5)), 'evidence': a6}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.CapaAction'] = ('56772cee7f06ea16', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not ((a0 is None or type(a0) is str)) or type(mask) is not int:
            raise Invalid
        d = {'assessment': a0, 'links': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.CapaRisk'] = ('d1564b22897c6d91', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12, D14, D15, D16, D18):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 20:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a8 is None or type(a8) is str) and (a13 is None or type(a13) is str) and (a17 is None or type(a17) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'reason': a7, 'type': a8, 'affected': D9(a9), 'impact': (None if a10 is None else D10(a10)), 'risk_reviewed': D11(a11), 'revalidation': D12(a12), 'implementation_plan': a13, 'submitted': (None if a14 is None else D14(a14)), 'approved': (None if a15 is None else D15(a15)), 'implemented': (None if a16 is None else D16(a16)), 'verification': a17, 'verified': (None if a18 is None else D18(a18))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.ChangeControl'] = ('f9a280fde5111568', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D12, D13, D14, D21, D22, D24, D26):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 28:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a10 is None or type(a10) is str) and (a11 is None or type(a11) is str) and (a15 is None or type(a15) is str) and (a16 is None or type(a16) is str) and (a17 is None or type(a17) is bool) and (a18 is None or type(a18) is str) and (a19 is None or type(a19) is bool) and (a20 is None or type(a20) is str) and (a23 is None or type(a23) is bool) and (a25 is None or type(a25) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'received': D7(a7), 'awareness': (None if a8 is None else D8(a8)), 'occurred': (None if a9 is None else D9(a9)), 'reporter': a10, 'country': a11, 'product': (None if a12 is None else D12(a12)), 'units': D13(a13), 'lots': D14(a14), 'patient_impact': a15, 'event_class': a16, 'remedial_action': a17, 'investigation': a18, 'reportable': a19, 'reportability_rationale': a20, 'reports': D21(a21), 'risk_file': D22(a22), 'capa_required': a23, 'capa': (None if a24 is None else D24(a24)), 'capa_rationale': a25, 'closed': (None if a26 is None else D26(a26))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Complaint'] = ('a374dd49ce9ff641', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2, D3, D5, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if not ((a0 is None or type(a0) is str) and (a4 is None or type(a4) is str) and (a6 is None or type(a6) is str)) or type(mask) is not int:
            raise Invalid
        d = {'criteria': a0, 'criteria_set': (None if a1 is None else D1(a1)), 'check_due': (None if a2 is None else D2(a2)), 'checked': (None if a3 is None else D3(a3)), 'result': a4, 'verified_by': (None if a5 is None else D5(a5)), 'evidence': a6, 'needed': (None if a7 is None else D7(a7)), 'evidence_records': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Effectiveness'] = ('262fda381cdb9ae8', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not ((a0 is None or type(a0) is str) and (a1 is None or type(a1) is str) and (a2 is None or type(a2) is str) and (a3 is None or type(a3) is str) and (a4 is None or type(a4) is str)) or type(mask) is not int:
            raise Invalid
        d = {'design': a0, 'risk': a1, 'validation': a2, 'regulatory': a3, 'supplier_notification': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Impact'] = ('317a423b514e2106', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15, D16, D19, D23, D26):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 28:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str and (a9 is None or type(a9) is str) and (a10 is None or type(a10) is str) and (a17 is None or type(a17) is str) and (a18 is None or type(a18) is str) and (a20 is None or type(a20) is str) and (a21 is None or type(a21) is str) and (a22 is None or type(a22) is str) and (a24 is None or type(a24) is bool) and (a25 is None or type(a25) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'source': a8, 'category': a9, 'area': a10, 'detected': D11(a11), 'affected_lots': D12(a12), 'affected_units': D13(a13), 'materials': D14(a14), 'supplier': (None if a15 is None else D15(a15)), 'origin': D16(a16), 'audit': a17, 'protocol_step': a18, 'risk': (None if a19 is None else D19(a19)), 'containment': a20, 'disposition': a21, 'disposition_justification': a22, 'disposition_by': (None if a23 is None else D23(a23)), 'capa_required': a24, 'capa_rationale': a25, 'closed': (None if a26 is None else D26(a26))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Nonconformance'] = ('14d7b83c5ff1d5a9', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a0) is bool and (a3 is None or type(a3) is str)) or type(mask) is not int:
            raise Invalid
        d = {'reportable': a0, 'decided': (None if a1 is None else D1(a1)), 'by': (None if a2 is None else D2(a2)), 'rationale': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Reportability'] = ('b8cbe88b83df57b9', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not ((a0 is None or type(a0) is str) and (a1 is None or type(a1) is str) and (a3 is None or type(a3) is str)) or type(mask) is not int:
            raise Invalid
        d = {'method': a0, 'category': a1, 'whys': D2(a2), 'statement': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.RootCause'] = ('8858ab6239222558', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a0) is str and (a1 is None or type(a1) is str) and (a3 is None or type(a3) is str)) or type(mask) is not int:
            raise Invalid
        d = {'authority': a0, 'type': a1, 'submitted': (None if a2 is None else D2(a2)), 'reference': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.VigilanceReport'] = ('2900474fbc01c337', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a13) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'sequence': D7(a7), 'site': D8(a8), 'equipment': D9(a9), 'inputs': D10(a10), 'outputs': D11(a11), 'controls': D12(a12), 'output_verification': a13, 'validation': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.manufacturing.ProcessStep'] = ('b57b40c433c6399d', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'address': a7, 'roles': D8(a8), 'supplier': (None if a9 is None else D9(a9)), 'certificates': D10(a10)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.manufacturing.Site'] = ('a7d5108db253b0f8', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a9) is str and type(a11) is str and (a14 is None or type(a14) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'record': D7(a7), 'record_hash': D8(a8), 'meaning': a9, 'signer': D10(a10), 'printed_name': a11, 'role': (None if a12 is None else D12(a12)), 'signed': D13(a13), 'comment': a14}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Approval'] = ('d0baa51b987fbaec', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 11:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'may_review': D7(a7), 'may_approve': D8(a8), 'may_release': D9(a9)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Role'] = ('026e3f6e77219ee0', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not ((a1 is None or type(a1) is str)) or type(mask) is not int:
            raise Invalid
        d = {'subject': D0(a0), 'revision': a1, 'date': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Training'] = ('ceca8dd5297e09be', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'name': a7, 'email': a8, 'git_identities': D9(a9), 'signing_keys': D10(a10), 'roles': D11(a11), 'active_from': (None if a12 is None else D12(a12)), 'active_until': (None if a13 is None else D13(a13)), 'training': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.User'] = ('7e9d18ea8a2237d6', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'code': D7(a7), 'record': D8(a8), 'justification': D9(a9), 'approver': D10(a10), 'approved': (None if a11 is None else D11(a11)), 'expires': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Waiver'] = ('e8053acd41c71e5e', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'recurrence': (None if a8 is None else D8(a8)), 'owners': D9(a9), 'default_owner': (None if a10 is None else D10(a10)), 'due_days': D11(a11), 'stage_days': D12(a12), 'effectiveness_wait_days': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.CapaPolicy'] = ('23ac3ec375b02590', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (type(a0) is str and type(a1) is str and type(a3) is bool and (a4 is None or type(a4) is bool)) or type(mask) is not int:
            raise Invalid
        d = {'authority': a0, 'event_class': a1, 'days': D2(a2), 'business_days': a3, 'when_remedial_action': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Clock'] = ('f2fee89e0fea3d90', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'outputs_not_required_for': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.DesignPolicy'] = ('7f2b1a76f6ca5822', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'gate': D8(a8), 'action_priority_gate': D9(a9), 'rpn_threshold': (None if a10 is None else D10(a10)), 'always_review_severity': D11(a11)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.FmeaPolicy'] = ('73188402cb52fbc7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (type(a0) is str) or type(mask) is not int:
            raise Invalid
        d = {'grade': a0, 'min_score': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Grade'] = ('39a787b3faa15814', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'count': D0(a0), 'window_days': D1(a1), 'by': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Recurrence'] = ('928a6c07971827c9', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'required_approvals': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ReleasePolicy'] = ('5dc015d7318f5cfc', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'period': D8(a8), 'min_units': D9(a9), 'min_capas': D10(a10)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ReviewPolicy'] = ('b116a24fa1d91ae9', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D11, D12, D13, D14, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a10) is bool) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'severity': D8(a8), 'probability': D9(a9), 'split_probability': a10, 'p1': D11(a11), 'p2': D12(a12), 'p_combination': D13(a13), 'regions': D14(a14), 'acceptability': D15(a15), 'nc_capa_region': D16(a16)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.RiskPolicy'] = ('482e0d3b11c0da2c', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a0) is str and type(a1) is bool and type(a2) is bool) or type(mask) is not int:
            raise Invalid
        d = {'name': a0, 'acceptable': a1, 'benefit_risk_required': a2, 'color': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.RiskRegion'] = ('531ba9801efcb817', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a1) is str and (a2 is None or type(a2) is str) and (a3 is None or type(a3) is str)) or type(mask) is not int:
            raise Invalid
        d = {'level': D0(a0), 'name': a1, 'definition': a2, 'range': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ScaleLevel'] = ('99da72099d6b0792', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'weights': D8(a8), 'grades': D9(a9), 'reevaluate_below': D10(a10), 'period': D11(a11), 'certificate_horizon_days': D12(a12), 'audit_interval_months': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.SupplierPolicy'] = ('ffc49582228365e9', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'clocks': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.VigilancePolicy'] = ('423e5dc4b54ee459', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not (type(a0) is str and type(a1) is str and (a2 is None or type(a2) is str)) or type(mask) is not int:
            raise Invalid
        d = {'source': a0, 'method': a1, 'frequency': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.DataSource'] = ('8ba94b739c0d2b54', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a0) is str and type(a1) is str and type(a3) is str) or type(mask) is not int:
            raise Invalid
        d = {'name': a0, 'measure': a1, 'threshold': D2(a2), 'action': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Indicator'] = ('5fc5145d7234cce6', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10, D13, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a11) is str and type(a12) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'sources': D8(a8), 'indicators': D9(a9), 'min_population': D10(a10), 'methods': a11, 'review_frequency': a12, 'psur_interval_months': D13(a13), 'responsibilities': D14(a14), 'procedures': D15(a15)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.PmsPlan'] = ('4ab5ae88a6b0899b', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D15, D17):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 19:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a13) is str and type(a14) is str and type(a16) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'plan': D7(a7), 'period_start': D8(a8), 'period_end': D9(a9), 'units_sold': D10(a10), 'units_in_use': (None if a11 is None else D11(a11)), 'stated': D12(a12), 'benefit_risk': a13, 'pmcf': a14, 'fscas': D15(a15), 'conclusion': a16, 'issued': (None if a17 is None else D17(a17))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Psur'] = ('4e689cda663f1963', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'complaints': D0(a0), 'serious_incidents': D1(a1), 'nonconformances': D2(a2), 'capas': D3(a3)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.PsurFigures'] = ('bc80668fd802480c', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (type(a0) is str) or type(mask) is not int:
            raise Invalid
        d = {'task': a0, 'person': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Responsibility'] = ('906a9e78aaa17992', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not ((a2 is None or type(a2) is str)) or type(mask) is not int:
            raise Invalid
        d = {'last': (None if a0 is None else D0(a0)), 'due': (None if a1 is None else D1(a1)), 'certificate': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Calibration'] = ('689471950e9e7bb7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'lot': D0(a0), 'quantity': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Consumption'] = ('6cb559cff363b0ff', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a8 is None or type(a8) is str) and (a9 is None or type(a9) is str) and (a11 is None or type(a11) is bool)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'serial': a8, 'location': a9, 'calibration': (None if a10 is None else D10(a10)), 'validated': a11}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Equipment'] = ('c0dd2c2edade258a', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D11, D12, D13, D14, D16, D17, D18, D20, D21):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 23:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a10 is None or type(a10) is str) and (a15 is None or type(a15) is str) and (a19 is None or type(a19) is bool)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'lot_type': a7, 'material': D8(a8), 'supplier': (None if a9 is None else D9(a9)), 'supplier_lot': a10, 'receipt': (None if a11 is None else D11(a11)), 'quantity': (None if a12 is None else D12(a12)), 'manufactured': (None if a13 is None else D13(a13)), 'expiry': (None if a14 is None else D14(a14)), 'production_line': a15, 'consumes': D16(a16), 'units_started': (None if a17 is None else D17(a17)), 'units_passed_first': (None if a18 is None else D18(a18)), 'dhr_complete': a19, 'released': (None if a20 is None else D20(a20)), 'released_by': (None if a21 is None else D21(a21))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Lot'] = ('e60e9f8b8433fb00', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a8) is str and (a9 is None or type(a9) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'lot': D7(a7), 'serial': a8, 'udi': a9, 'manufactured': (None if a10 is None else D10(a10))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.SerialUnit'] = ('4ed95da4f78bc5b8', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a8 is None or type(a8) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'customer': a7, 'country': a8, 'shipped': (None if a9 is None else D9(a9)), 'units': D10(a10), 'lots': D11(a11), 'temperature_log': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Shipment'] = ('8c5dcf51dce6014c', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and (a10 is None or type(a10) is str) and type(a11) is str and (a12 is None or type(a12) is str) and (a13 is None or type(a13) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'location': a7, 'shipment': (None if a8 is None else D8(a8)), 'materials': D9(a9), 'logger': a10, 'data': a11, 'time_column': a12, 'temperature_column': a13, 'start': (None if a14 is None else D14(a14)), 'end': (None if a15 is None else D15(a15))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.TemperatureLog'] = ('b927ef43f397deb1', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D10, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a9 is None or type(a9) is str) and (a11 is None or type(a11) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'covers': D8(a8), 'conclusion': a9, 'benefits': D10(a10), 'rationale': a11, 'evaluated': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.BenefitRisk'] = ('4d149a6a83db18f6', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D15, D16, D17, D19, D20, D21, D22, D23, D24, D25, D26):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 28:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a8) is str and (a9 is None or type(a9) is str) and type(a10) is str and type(a11) is str and (a12 is None or type(a12) is str) and (a13 is None or type(a13) is str) and (a14 is None or type(a14) is str) and (a18 is None or type(a18) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'fmea_type': a7, 'item': a8, 'function': a9, 'failure_mode': a10, 'effect': a11, 'cause': a12, 'prevention_controls': a13, 'detection_controls': a14, 'severity': D15(a15), 'occurrence': D16(a16), 'detection': D17(a17), 'recommended_action': a18, 'action_owner': (None if a19 is None else D19(a19)), 'action_due': (None if a20 is None else D20(a20)), 'action_done': (None if a21 is None else D21(a21)), 'severity_after': (None if a22 is None else D22(a22)), 'occurrence_after': (None if a23 is None else D23(a23)), 'detection_after': (None if a24 is None else D24(a24)), 'hazards': D25(a25), 'risk_controls': D26(a26)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.FmeaLine'] = ('3f3d69d85eed58c7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 9:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'severity': (None if a7 is None else D7(a7))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.Harm'] = ('c0fc3c110705e4d6', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'category': a7, 'introduced_by': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.Hazard'] = ('364fd63058dc36b7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'hazard': (None if a7 is None else D7(a7)), 'sequence_of_events': D8(a8), 'harms': D9(a9), 'initial_risk': (None if a10 is None else D10(a10)), 'residual_risk': (None if a11 is None else D11(a11))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.HazardousSituation'] = ('39105dcaeb4c1cea', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a11 is None or type(a11) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'mitigates': D8(a8), 'implemented_by': D9(a9), 'introduces': D10(a10), 'design_infeasible_rationale': a11}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.RiskControl'] = ('f8cebc63681f4df3', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'material': D0(a0), 'quantity': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.BomLine'] = ('665ad9b9d2491ca7', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (type(a0) is str and (a1 is None or type(a1) is str) and (a2 is None or type(a2) is str)) or type(mask) is not int:
            raise Invalid
        d = {'standard': a0, 'number': a1, 'issuer': a2, 'issued': (None if a3 is None else D3(a3)), 'expires': (None if a4 is None else D4(a4))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Certificate'] = ('3bd2d2645679d478', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D12, D13, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a9) is str and type(a11) is str and (a14 is None or type(a14) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'receipt': D7(a7), 'lot_size': D8(a8), 'level': a9, 'aql': D10(a10), 'severity': a11, 'sample_size': (None if a12 is None else D12(a12)), 'defects': (None if a13 is None else D13(a13)), 'decision': a14, 'inspected': (None if a15 is None else D15(a15)), 'inspector': (None if a16 is None else D16(a16))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Inspection'] = ('6a48aa41260a87ac', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (type(a1) is str) or type(mask) is not int:
            raise Invalid
        d = {'aql': D0(a0), 'level': a1}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.InspectionPlan'] = ('2de5dabb43d284ca', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D14, D15, D16, D17):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 19:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and (a8 is None or type(a8) is str) and (a9 is None or type(a9) is str) and type(a10) is bool and (a13 is None or type(a13) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'part_number': a8, 'revision': a9, 'critical': a10, 'approved_suppliers': D11(a11), 'specification': (None if a12 is None else D12(a12)), 'gtin': a13, 'shelf_life_months': (None if a14 is None else D14(a14)), 'storage': (None if a15 is None else D15(a15)), 'bom': D16(a16), 'inspection': (None if a17 is None else D17(a17))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Material'] = ('dacef29a85107209', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'document': (None if a0 is None else D0(a0)), 'signed': (None if a1 is None else D1(a1)), 'expires': (None if a2 is None else D2(a2))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.QualityAgreement'] = ('ba37bd3a64f91415', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D11, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a9 is None or type(a9) is str) and (a12 is None or type(a12) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'supplier': D7(a7), 'material': D8(a8), 'supplier_lot': a9, 'lot': (None if a10 is None else D10(a10)), 'quantity': D11(a11), 'purchase_order': a12, 'promised': (None if a13 is None else D13(a13)), 'received': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Receipt'] = ('f88b2f32de127aee', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (type(a0) is str and type(a2) is str and (a4 is None or type(a4) is str)) or type(mask) is not int:
            raise Invalid
        d = {'period': a0, 'decided': D1(a1), 'decision': a2, 'by': (None if a3 is None else D3(a3)), 'rationale': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Reevaluation'] = ('55b05f1dcae87388', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'min_c': (None if a0 is None else D0(a0)), 'max_c': (None if a1 is None else D1(a1)), 'excursion_allowance_hours': (None if a2 is None else D2(a2)), 'mkt_max_c': (None if a3 is None else D3(a3)), 'activation_energy_kj_mol': D4(a4)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.StorageConditions'] = ('2319eb59b752d281', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and (a7 is None or type(a7) is str) and type(a8) is str and (a9 is None or type(a9) is str) and (a10 is None or type(a10) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'criticality': a8, 'country': a9, 'contact': a10, 'approved': (None if a11 is None else D11(a11)), 'requalification_due': (None if a12 is None else D12(a12)), 'certificates': D13(a13), 'audits': D14(a14), 'quality_agreement': (None if a15 is None else D15(a15)), 'reevaluations': D16(a16)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Supplier'] = ('a929442f3f5a3ccc', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 7:
            raise Invalid
        a0, a1, a2, a3, a4, a5, mask = v
        if not ((a1 is None or type(a1) is str) and (a3 is None or type(a3) is str) and (a5 is None or type(a5) is str)) or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'type': a1, 'auditor': (None if a2 is None else D2(a2)), 'result': a3, 'findings': D4(a4), 'report': a5}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.SupplierAudit'] = ('80733dfe9bfcc886', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'path': D0(a0), 'sha256': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.EvidenceFile'] = ('9f372e657792fe7e', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D3, D4, D5):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 7:
            raise Invalid
        a0, a1, a2, a3, a4, a5, mask = v
        if not (type(a2) is str) or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'executed_by': D1(a1), 'result': a2, 'evidence': (None if a3 is None else D3(a3)), 'commit': (None if a4 is None else D4(a4)), 'deviations': D5(a5)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Execution'] = ('9a15fa01608c0b22', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if not (True) or type(mask) is not int:
            raise Invalid
        d = {'instruments': D0(a0), 'executors': D1(a1), 'training': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Prerequisites'] = ('6ea0452f26befe3d', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D11, D12, D13, D14, D15, D16, D17, D19):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 21:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a7) is str and type(a9) is str and (a10 is None or type(a10) is str) and type(a18) is bool) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'subject': a7, 'equipment': D8(a8), 'purpose': a9, 'scope': a10, 'references': D11(a11), 'prerequisites': (None if a12 is None else D12(a12)), 'acceptance_criteria': D13(a13), 'steps': D14(a14), 'sample_size': (None if a15 is None else D15(a15)), 'data': D16(a16), 'approved': (None if a17 is None else D17(a17)), 'automated': a18, 'executions': D19(a19)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Protocol'] = ('17723ca0906cae4a', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D11, D12, D14, D16, D17, D18):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 20:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, mask = v
        if not (type(a0) is str and type(a1) is str and type(a2) is str and (a5 is None or type(a5) is str) and type(a10) is str and type(a13) is str and (a15 is None or type(a15) is bool)) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'protocol': D7(a7), 'protocol_sha256': (None if a8 is None else D8(a8)), 'executed_by': D9(a9), 'runner': a10, 'started': D11(a11), 'finished': D12(a12), 'result': a13, 'commit': (None if a14 is None else D14(a14)), 'clean': a15, 'steps': D16(a16), 'evidence': D17(a17), 'deviations': D18(a18)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.ProtocolExecution'] = ('4c3a0159b51c8c58', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if not (type(a1) is str and (a2 is None or type(a2) is str) and (a3 is None or type(a3) is str) and (a4 is None or type(a4) is str)) or type(mask) is not int:
            raise Invalid
        d = {'id': D0(a0), 'feature': a1, 'scenario': a2, 'tag': a3, 'expected': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.ProtocolStep'] = ('b2f30a45f9b507a5', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D3, D4, D5, D6):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 9:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, mask = v
        if not (type(a1) is str and (a7 is None or type(a7) is str)) or type(mask) is not int:
            raise Invalid
        d = {'n': D0(a0), 'method': a1, 'confidence': (None if a2 is None else D2(a2)), 'reliability': (None if a3 is None else D3(a3)), 'failures': D4(a4), 'cpk_target': (None if a5 is None else D5(a5)), 'cpk_planned': (None if a6 is None else D6(a6)), 'rationale': a7}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.SampleSize'] = ('c42fb7897b2dddbd', make)


def make(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if not (type(a1) is str) or type(mask) is not int:
            raise Invalid
        d = {'id': D0(a0), 'result': a1, 'started': (None if a2 is None else D2(a2)), 'finished': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', set(given))
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.StepTiming'] = ('0ed5134abf60eff0', make)
