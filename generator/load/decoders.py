"""Decoders of the load cache's models, written by load.codec from the models: do not edit.

After changing a model, rewrite this file with `python -m generator.load.codec` (a test checks that it
is current). load.codec takes a factory from here only when its digest matches the text it writes
now, and compiles that text otherwise: a stale file makes a warm run slower, never wrong.
"""

from collections.abc import Callable
from typing import Any

DECODERS: dict[str, tuple[str, Callable[..., Any]]] = {}


def make_generator_model_base_Ref(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(a0) is not str or (a1 is not None and type(a1) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'fingerprint': a1}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.base.Ref'] = ('ddee88a7ce16dfb1', make_generator_model_base_Ref)


def make_generator_model_base_RiskEstimate(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'severity': (None if a0 is None else D0(a0)), 'probability': (None if a1 is None else D1(a1)), 'p1': (None if a2 is None else D2(a2)), 'p2': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.base.RiskEstimate'] = ('c4cacff322eafff8', make_generator_model_base_RiskEstimate)


def make_generator_model_conformity_Evidence(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or type(a9) is not str or (a10 is not None and type(a10) is not str) or (a12 is not None and type(a12) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'path': a8, 'sha256': a9, 'issuer': a10, 'issued': (None if a11 is None else D11(a11)), 'reference': a12}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Evidence'] = ('c26b7ba8e17938a5', make_generator_model_conformity_Evidence)


def make_generator_model_conformity_Gspr(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or type(a9) is not bool or (a10 is not None and type(a10) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'item': a7, 'requirement': a8, 'applicable': a9, 'justification': a10, 'standards': D11(a11), 'evidence': D12(a12)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Gspr'] = ('2987f879018505ed', make_generator_model_conformity_Gspr)


def make_generator_model_conformity_Standard(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or (a9 is not None and type(a9) is not bool) or (a10 is not None and type(a10) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'number': a7, 'edition': a8, 'harmonised': a9, 'scope': a10}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.conformity.Standard'] = ('e81bd5951ab435b5', make_generator_model_conformity_Standard)


def make_generator_model_design_DesignOutput(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a12 is not None and type(a12) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'type': a10, 'document': a11, 'revision': a12, 'implements': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.DesignOutput'] = ('d81c2be4776454aa', make_generator_model_design_DesignOutput)


def make_generator_model_design_Origin(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if type(a0) is not str or type(mask) is not int:
            raise Invalid
        d = {'tool': a0, 'source': D1(a1), 'uid': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Origin'] = ('3753f9fccb633604', make_generator_model_design_Origin)


def make_generator_model_design_Requirement(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or type(a10) is not str or (a11 is not None and type(a11) is not str) or (a12 is not None and type(a12) is not str) or (a13 is not None and type(a13) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'statement': a10, 'rationale': a11, 'type': a12, 'verification_method': a13, 'derived_from': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Requirement'] = ('c2b8d3654c6d27a9', make_generator_model_design_Requirement)


def make_generator_model_design_Section(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a13 is not None and type(a13) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'text': a10, 'level': a11, 'order': (None if a12 is None else D12(a12)), 'document': a13, 'contains': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.Section'] = ('ea447c806d5275f6', make_generator_model_design_Section)


def make_generator_model_design_TestResult(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(a1) is not str or (a3 is not None and type(a3) is not str) or (a4 is not None and type(a4) is not str) or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'result': a1, 'executed_by': (None if a2 is None else D2(a2)), 'evidence': a3, 'notes': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.TestResult'] = ('36b2bd373ab0b5cc', make_generator_model_design_TestResult)


def make_generator_model_design_UserNeed(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or type(a10) is not str or (a11 is not None and type(a11) is not str) or (a12 is not None and type(a12) is not str) or (a13 is not None and type(a13) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'statement': a10, 'source': a11, 'user_group': a12, 'use_environment': a13}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.UserNeed'] = ('1902d39d384b5b88', make_generator_model_design_UserNeed)


def make_generator_model_design_ValidationTest(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a15 is not None and type(a15) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'method': a10, 'acceptance_criteria': a11, 'sample_size': (None if a12 is None else D12(a12)), 'results': D13(a13), 'validates': D14(a14), 'type': a15}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.ValidationTest'] = ('0b4776040145a912', make_generator_model_design_ValidationTest)


def make_generator_model_design_VerificationTest(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a15 is not None and type(a15) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'legacy_id': a7, 'origin': (None if a8 is None else D8(a8)), 'attributes': D9(a9), 'method': a10, 'acceptance_criteria': a11, 'sample_size': (None if a12 is None else D12(a12)), 'results': D13(a13), 'verifies': D14(a14), 'purpose': a15}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.design.VerificationTest'] = ('9f6c41f2d310b802', make_generator_model_design_VerificationTest)


def make_generator_model_documents_Document(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a8 is not None and type(a8) is not str) or type(a9) is not str or (a10 is not None and type(a10) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'number': a8, 'revision': a9, 'file': a10, 'sha256': (None if a11 is None else D11(a11)), 'effective': (None if a12 is None else D12(a12)), 'review_due': (None if a13 is None else D13(a13)), 'supersedes': D14(a14), 'training_roles': D15(a15)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.documents.Document'] = ('e8d5424327dccf33', make_generator_model_documents_Document)


def make_generator_model_events_AdverseEffectCheck(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if (a2 is not None and type(a2) is not str) or type(mask) is not int:
            raise Invalid
        d = {'verified': (None if a0 is None else D0(a0)), 'by': (None if a1 is None else D1(a1)), 'evidence': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.AdverseEffectCheck'] = ('7de1e2b859f4c802', make_generator_model_events_AdverseEffectCheck)


def make_generator_model_events_Capa(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D12, D13, D14, D15, D16, D17, D19, D20, D21):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 23:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a8 is not None and type(a8) is not str) or (a9 is not None and type(a9) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a18 is not None and type(a18) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'sources': D7(a7), 'area': a8, 'problem': a9, 'containment': a10, 'investigation': a11, 'root_cause': (None if a12 is None else D12(a12)), 'actions': D13(a13), 'effectiveness': (None if a14 is None else D14(a14)), 'opened': (None if a15 is None else D15(a15)), 'due': (None if a16 is None else D16(a16)), 'closed': (None if a17 is None else D17(a17)), 'cancel_reason': a18, 'risk': (None if a19 is None else D19(a19)), 'reportability': (None if a20 is None else D20(a20)), 'adverse_effect': (None if a21 is None else D21(a21))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Capa'] = ('d593774b019d249c', make_generator_model_events_Capa)


def make_generator_model_events_CapaAction(cls, Invalid, new, setattr_, sets, fields_set, privates, D2, D3, D5):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 8:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, mask = v
        if type(a0) is not str or type(a1) is not str or type(a4) is not str or (a6 is not None and type(a6) is not str) or type(mask) is not int:
            raise Invalid
        d = {'type': a0, 'description': a1, 'owner': (None if a2 is None else D2(a2)), 'due': (None if a3 is None else D3(a3)), 'status': a4, 'done': (None if a5 is None else D5(a5)), 'evidence': a6}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.CapaAction'] = ('fce9a3ca5f86e07b', make_generator_model_events_CapaAction)


def make_generator_model_events_CapaRisk(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if (a0 is not None and type(a0) is not str) or type(mask) is not int:
            raise Invalid
        d = {'assessment': a0, 'links': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.CapaRisk'] = ('ff3f25223d0b792c', make_generator_model_events_CapaRisk)


def make_generator_model_events_ChangeAction(cls, Invalid, new, setattr_, sets, fields_set, privates, D2, D3, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 7:
            raise Invalid
        a0, a1, a2, a3, a4, a5, mask = v
        if type(a0) is not str or type(a1) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'type': a0, 'description': a1, 'owner': (None if a2 is None else D2(a2)), 'due': (None if a3 is None else D3(a3)), 'done': (None if a4 is None else D4(a4)), 'evidence': a5}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.ChangeAction'] = ('5920e76ae2ea8647', make_generator_model_events_ChangeAction)


def make_generator_model_events_ChangeControl(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12, D14, D15, D16, D18, D19):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 21:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a8 is not None and type(a8) is not str) or (a13 is not None and type(a13) is not str) or (a17 is not None and type(a17) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'reason': a7, 'type': a8, 'affected': D9(a9), 'impact': (None if a10 is None else D10(a10)), 'risk_reviewed': D11(a11), 'revalidation': D12(a12), 'implementation_plan': a13, 'submitted': (None if a14 is None else D14(a14)), 'approved': (None if a15 is None else D15(a15)), 'implemented': (None if a16 is None else D16(a16)), 'verification': a17, 'verified': (None if a18 is None else D18(a18)), 'actions': D19(a19)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.ChangeControl'] = ('3faf968a3d6e9d36', make_generator_model_events_ChangeControl)


def make_generator_model_events_Complaint(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D12, D13, D14, D19, D22, D23, D25, D27):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 29:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a10 is not None and type(a10) is not str) or (a11 is not None and type(a11) is not str) or (a15 is not None and type(a15) is not str) or (a16 is not None and type(a16) is not str) or (a17 is not None and type(a17) is not bool) or (a18 is not None and type(a18) is not str) or (a20 is not None and type(a20) is not bool) or (a21 is not None and type(a21) is not str) or (a24 is not None and type(a24) is not bool) or (a26 is not None and type(a26) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'received': D7(a7), 'awareness': (None if a8 is None else D8(a8)), 'occurred': (None if a9 is None else D9(a9)), 'reporter': a10, 'country': a11, 'product': (None if a12 is None else D12(a12)), 'units': D13(a13), 'lots': D14(a14), 'patient_impact': a15, 'event_class': a16, 'remedial_action': a17, 'investigation': a18, 'investigation_due': (None if a19 is None else D19(a19)), 'reportable': a20, 'reportability_rationale': a21, 'reports': D22(a22), 'risk_file': D23(a23), 'capa_required': a24, 'capa': (None if a25 is None else D25(a25)), 'capa_rationale': a26, 'closed': (None if a27 is None else D27(a27))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Complaint'] = ('e8eebd0bc531c70c', make_generator_model_events_Complaint)


def make_generator_model_events_Effectiveness(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2, D3, D5, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if (a0 is not None and type(a0) is not str) or (a4 is not None and type(a4) is not str) or (a6 is not None and type(a6) is not str) or type(mask) is not int:
            raise Invalid
        d = {'criteria': a0, 'criteria_set': (None if a1 is None else D1(a1)), 'check_due': (None if a2 is None else D2(a2)), 'checked': (None if a3 is None else D3(a3)), 'result': a4, 'verified_by': (None if a5 is None else D5(a5)), 'evidence': a6, 'needed': (None if a7 is None else D7(a7)), 'evidence_records': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Effectiveness'] = ('6e969944cd0aec98', make_generator_model_events_Effectiveness)


def make_generator_model_events_Impact(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if (a0 is not None and type(a0) is not str) or (a1 is not None and type(a1) is not str) or (a2 is not None and type(a2) is not str) or (a3 is not None and type(a3) is not str) or (a4 is not None and type(a4) is not str) or type(mask) is not int:
            raise Invalid
        d = {'design': a0, 'risk': a1, 'validation': a2, 'regulatory': a3, 'supplier_notification': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Impact'] = ('96f81708305dc79b', make_generator_model_events_Impact)


def make_generator_model_events_Nonconformance(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15, D16, D19, D23, D26):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 28:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or (a9 is not None and type(a9) is not str) or (a10 is not None and type(a10) is not str) or (a17 is not None and type(a17) is not str) or (a18 is not None and type(a18) is not str) or (a20 is not None and type(a20) is not str) or (a21 is not None and type(a21) is not str) or (a22 is not None and type(a22) is not str) or (a24 is not None and type(a24) is not bool) or (a25 is not None and type(a25) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'source': a8, 'category': a9, 'area': a10, 'detected': D11(a11), 'affected_lots': D12(a12), 'affected_units': D13(a13), 'materials': D14(a14), 'supplier': (None if a15 is None else D15(a15)), 'origin': D16(a16), 'audit': a17, 'protocol_step': a18, 'risk': (None if a19 is None else D19(a19)), 'containment': a20, 'disposition': a21, 'disposition_justification': a22, 'disposition_by': (None if a23 is None else D23(a23)), 'capa_required': a24, 'capa_rationale': a25, 'closed': (None if a26 is None else D26(a26))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Nonconformance'] = ('92e496092c01cf6e', make_generator_model_events_Nonconformance)


def make_generator_model_events_Reportability(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a0) is not bool or (a3 is not None and type(a3) is not str) or type(mask) is not int:
            raise Invalid
        d = {'reportable': a0, 'decided': (None if a1 is None else D1(a1)), 'by': (None if a2 is None else D2(a2)), 'rationale': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.Reportability'] = ('f260d65aa37fdedb', make_generator_model_events_Reportability)


def make_generator_model_events_RootCause(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if (a0 is not None and type(a0) is not str) or (a1 is not None and type(a1) is not str) or (a3 is not None and type(a3) is not str) or type(mask) is not int:
            raise Invalid
        d = {'method': a0, 'category': a1, 'whys': D2(a2), 'statement': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.RootCause'] = ('f5404680d3ff51a8', make_generator_model_events_RootCause)


def make_generator_model_events_VigilanceReport(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a0) is not str or (a1 is not None and type(a1) is not str) or (a3 is not None and type(a3) is not str) or type(mask) is not int:
            raise Invalid
        d = {'authority': a0, 'type': a1, 'submitted': (None if a2 is None else D2(a2)), 'reference': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.events.VigilanceReport'] = ('bd7ba96c1bec1c95', make_generator_model_events_VigilanceReport)


def make_generator_model_manufacturing_ProcessStep(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a13) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'sequence': D7(a7), 'site': D8(a8), 'equipment': D9(a9), 'inputs': D10(a10), 'outputs': D11(a11), 'controls': D12(a12), 'output_verification': a13, 'validation': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.manufacturing.ProcessStep'] = ('71230e7e1667685a', make_generator_model_manufacturing_ProcessStep)


def make_generator_model_manufacturing_Site(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'address': a7, 'roles': D8(a8), 'supplier': (None if a9 is None else D9(a9)), 'certificates': D10(a10)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.manufacturing.Site'] = ('79aa1db27ae593d2', make_generator_model_manufacturing_Site)


def make_generator_model_people_Approval(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a9) is not str or type(a11) is not str or (a14 is not None and type(a14) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'record': D7(a7), 'record_hash': D8(a8), 'meaning': a9, 'signer': D10(a10), 'printed_name': a11, 'role': (None if a12 is None else D12(a12)), 'signed': D13(a13), 'comment': a14}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Approval'] = ('d26ed19e9bc6f4e2', make_generator_model_people_Approval)


def make_generator_model_people_Role(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 11:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'may_review': D7(a7), 'may_approve': D8(a8), 'may_release': D9(a9)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Role'] = ('25efae4eb418a0c8', make_generator_model_people_Role)


def make_generator_model_people_Training(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if (a1 is not None and type(a1) is not str) or type(mask) is not int:
            raise Invalid
        d = {'subject': D0(a0), 'revision': a1, 'date': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Training'] = ('0136f3ba1de1bae4', make_generator_model_people_Training)


def make_generator_model_people_User(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'name': a7, 'email': a8, 'git_identities': D9(a9), 'signing_keys': D10(a10), 'roles': D11(a11), 'active_from': (None if a12 is None else D12(a12)), 'active_until': (None if a13 is None else D13(a13)), 'training': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.User'] = ('a353e0e6c69ee944', make_generator_model_people_User)


def make_generator_model_people_Waiver(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'code': D7(a7), 'record': D8(a8), 'justification': D9(a9), 'approver': D10(a10), 'approved': (None if a11 is None else D11(a11)), 'expires': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.people.Waiver'] = ('a6a712b3b3290a0e', make_generator_model_people_Waiver)


def make_generator_model_policy_CapaPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'recurrence': (None if a8 is None else D8(a8)), 'owners': D9(a9), 'default_owner': (None if a10 is None else D10(a10)), 'due_days': D11(a11), 'stage_days': D12(a12), 'effectiveness_wait_days': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.CapaPolicy'] = ('4d55910d40fde65f', make_generator_model_policy_CapaPolicy)


def make_generator_model_policy_Clock(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(a0) is not str or type(a1) is not str or type(a3) is not bool or (a4 is not None and type(a4) is not bool) or type(mask) is not int:
            raise Invalid
        d = {'authority': a0, 'event_class': a1, 'days': D2(a2), 'business_days': a3, 'when_remedial_action': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Clock'] = ('4e7778e2d991cc7c', make_generator_model_policy_Clock)


def make_generator_model_policy_ComplaintPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 11:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a9) is not bool or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'investigation_days': D8(a8), 'business_days': a9}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ComplaintPolicy'] = ('86f6ff611a81b19e', make_generator_model_policy_ComplaintPolicy)


def make_generator_model_policy_DesignPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'outputs_not_required_for': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.DesignPolicy'] = ('4f92f32f71926469', make_generator_model_policy_DesignPolicy)


def make_generator_model_policy_FmeaPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'gate': D8(a8), 'action_priority_gate': D9(a9), 'rpn_threshold': (None if a10 is None else D10(a10)), 'always_review_severity': D11(a11)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.FmeaPolicy'] = ('0c663f58d0ede8cd', make_generator_model_policy_FmeaPolicy)


def make_generator_model_policy_Grade(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(a0) is not str or type(mask) is not int:
            raise Invalid
        d = {'grade': a0, 'min_score': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Grade'] = ('b00e7be622ce0f00', make_generator_model_policy_Grade)


def make_generator_model_policy_Recurrence(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'count': D0(a0), 'window_days': D1(a1), 'by': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.Recurrence'] = ('4ef950aa5b870c4b', make_generator_model_policy_Recurrence)


def make_generator_model_policy_ReleasePolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'required_approvals': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ReleasePolicy'] = ('594396046e37c171', make_generator_model_policy_ReleasePolicy)


def make_generator_model_policy_ReviewPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'period': D8(a8), 'min_units': D9(a9), 'min_capas': D10(a10)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ReviewPolicy'] = ('690e6633e20831be', make_generator_model_policy_ReviewPolicy)


def make_generator_model_policy_RiskPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D11, D12, D13, D14, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a10) is not bool or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'severity': D8(a8), 'probability': D9(a9), 'split_probability': a10, 'p1': D11(a11), 'p2': D12(a12), 'p_combination': D13(a13), 'regions': D14(a14), 'acceptability': D15(a15), 'nc_capa_region': D16(a16)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.RiskPolicy'] = ('89485efed71c38de', make_generator_model_policy_RiskPolicy)


def make_generator_model_policy_RiskRegion(cls, Invalid, new, setattr_, sets, fields_set, privates, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a0) is not str or type(a1) is not bool or type(a2) is not bool or type(mask) is not int:
            raise Invalid
        d = {'name': a0, 'acceptable': a1, 'benefit_risk_required': a2, 'color': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.RiskRegion'] = ('d3bd33dec44e3389', make_generator_model_policy_RiskRegion)


def make_generator_model_policy_ScaleLevel(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a1) is not str or (a2 is not None and type(a2) is not str) or (a3 is not None and type(a3) is not str) or type(mask) is not int:
            raise Invalid
        d = {'level': D0(a0), 'name': a1, 'definition': a2, 'range': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.ScaleLevel'] = ('2ab920e3c7c39ed8', make_generator_model_policy_ScaleLevel)


def make_generator_model_policy_SupplierPolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D13):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 15:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'weights': D8(a8), 'grades': D9(a9), 'reevaluate_below': D10(a10), 'period': D11(a11), 'certificate_horizon_days': D12(a12), 'audit_interval_months': D13(a13)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.SupplierPolicy'] = ('b8192a1f02a10cb0', make_generator_model_policy_SupplierPolicy)


def make_generator_model_policy_VigilancePolicy(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'policy': D7(a7), 'clocks': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.policy.VigilancePolicy'] = ('55c8a03cf7118924', make_generator_model_policy_VigilancePolicy)


def make_generator_model_postmarket_DataSource(cls, Invalid, new, setattr_, sets, fields_set, privates):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if type(a0) is not str or type(a1) is not str or (a2 is not None and type(a2) is not str) or type(mask) is not int:
            raise Invalid
        d = {'source': a0, 'method': a1, 'frequency': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.DataSource'] = ('7ffd015a06332429', make_generator_model_postmarket_DataSource)


def make_generator_model_postmarket_Indicator(cls, Invalid, new, setattr_, sets, fields_set, privates, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a0) is not str or type(a1) is not str or type(a3) is not str or type(mask) is not int:
            raise Invalid
        d = {'name': a0, 'measure': a1, 'threshold': D2(a2), 'action': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Indicator'] = ('f6eeada1af977647', make_generator_model_postmarket_Indicator)


def make_generator_model_postmarket_PmsPlan(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10, D13, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a11) is not str or type(a12) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'sources': D8(a8), 'indicators': D9(a9), 'min_population': D10(a10), 'methods': a11, 'review_frequency': a12, 'psur_interval_months': D13(a13), 'responsibilities': D14(a14), 'procedures': D15(a15)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.PmsPlan'] = ('a370396e291d8f17', make_generator_model_postmarket_PmsPlan)


def make_generator_model_postmarket_Psur(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11, D12, D15, D17):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 19:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a13) is not str or type(a14) is not str or type(a16) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'plan': D7(a7), 'period_start': D8(a8), 'period_end': D9(a9), 'units_sold': D10(a10), 'units_in_use': (None if a11 is None else D11(a11)), 'stated': D12(a12), 'benefit_risk': a13, 'pmcf': a14, 'fscas': D15(a15), 'conclusion': a16, 'issued': (None if a17 is None else D17(a17))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Psur'] = ('e2a4db95657ef13b', make_generator_model_postmarket_Psur)


def make_generator_model_postmarket_PsurFigures(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'complaints': D0(a0), 'serious_incidents': D1(a1), 'nonconformances': D2(a2), 'capas': D3(a3)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.PsurFigures'] = ('0ab9f73901004535', make_generator_model_postmarket_PsurFigures)


def make_generator_model_postmarket_Responsibility(cls, Invalid, new, setattr_, sets, fields_set, privates, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(a0) is not str or type(mask) is not int:
            raise Invalid
        d = {'task': a0, 'person': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.postmarket.Responsibility'] = ('f4dd408f959a1986', make_generator_model_postmarket_Responsibility)


def make_generator_model_production_Calibration(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if (a2 is not None and type(a2) is not str) or type(mask) is not int:
            raise Invalid
        d = {'last': (None if a0 is None else D0(a0)), 'due': (None if a1 is None else D1(a1)), 'certificate': a2}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Calibration'] = ('a264c17211f686f0', make_generator_model_production_Calibration)


def make_generator_model_production_Consumption(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'lot': D0(a0), 'quantity': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Consumption'] = ('6521fff30ca42e04', make_generator_model_production_Consumption)


def make_generator_model_production_Equipment(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D10, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a8 is not None and type(a8) is not str) or (a9 is not None and type(a9) is not str) or (a12 is not None and type(a12) is not bool) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'serial': a8, 'location': a9, 'calibration': (None if a10 is None else D10(a10)), 'maintenance': (None if a11 is None else D11(a11)), 'validated': a12}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Equipment'] = ('26d62d2bb2b614a3', make_generator_model_production_Equipment)


def make_generator_model_production_Lot(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D11, D12, D13, D14, D16, D17, D18, D20, D21):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 23:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a10 is not None and type(a10) is not str) or (a15 is not None and type(a15) is not str) or (a19 is not None and type(a19) is not bool) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'lot_type': a7, 'material': D8(a8), 'supplier': (None if a9 is None else D9(a9)), 'supplier_lot': a10, 'receipt': (None if a11 is None else D11(a11)), 'quantity': (None if a12 is None else D12(a12)), 'manufactured': (None if a13 is None else D13(a13)), 'expiry': (None if a14 is None else D14(a14)), 'production_line': a15, 'consumes': D16(a16), 'units_started': (None if a17 is None else D17(a17)), 'units_passed_first': (None if a18 is None else D18(a18)), 'dhr_complete': a19, 'released': (None if a20 is None else D20(a20)), 'released_by': (None if a21 is None else D21(a21))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Lot'] = ('91ec5483443849a4', make_generator_model_production_Lot)


def make_generator_model_production_Maintenance(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if (a3 is not None and type(a3) is not str) or type(mask) is not int:
            raise Invalid
        d = {'interval_days': (None if a0 is None else D0(a0)), 'last': (None if a1 is None else D1(a1)), 'due': (None if a2 is None else D2(a2)), 'procedure': a3}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Maintenance'] = ('a3a6509596d1e65d', make_generator_model_production_Maintenance)


def make_generator_model_production_SerialUnit(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 12:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a8) is not str or (a9 is not None and type(a9) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'lot': D7(a7), 'serial': a8, 'udi': a9, 'manufactured': (None if a10 is None else D10(a10))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.SerialUnit'] = ('52e3a1937618fa77', make_generator_model_production_SerialUnit)


def make_generator_model_production_Shipment(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D9, D10, D11, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a8 is not None and type(a8) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'customer': a7, 'country': a8, 'shipped': (None if a9 is None else D9(a9)), 'units': D10(a10), 'lots': D11(a11), 'temperature_log': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.Shipment'] = ('66467c8bc293e1e6', make_generator_model_production_Shipment)


def make_generator_model_production_TemperatureLog(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D14, D15):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 17:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or (a10 is not None and type(a10) is not str) or type(a11) is not str or (a12 is not None and type(a12) is not str) or (a13 is not None and type(a13) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'location': a7, 'shipment': (None if a8 is None else D8(a8)), 'materials': D9(a9), 'logger': a10, 'data': a11, 'time_column': a12, 'temperature_column': a13, 'start': (None if a14 is None else D14(a14)), 'end': (None if a15 is None else D15(a15))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.production.TemperatureLog'] = ('d47b4f5f4a6fc784', make_generator_model_production_TemperatureLog)


def make_generator_model_risk_BenefitRisk(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D10, D12):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 14:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a9 is not None and type(a9) is not str) or (a11 is not None and type(a11) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'covers': D8(a8), 'conclusion': a9, 'benefits': D10(a10), 'rationale': a11, 'evaluated': (None if a12 is None else D12(a12))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.BenefitRisk'] = ('3f5e6e9b7a8eb6e9', make_generator_model_risk_BenefitRisk)


def make_generator_model_risk_FmeaLine(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D15, D16, D17, D19, D20, D21, D22, D23, D24, D25, D26):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 28:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a8) is not str or (a9 is not None and type(a9) is not str) or type(a10) is not str or type(a11) is not str or (a12 is not None and type(a12) is not str) or (a13 is not None and type(a13) is not str) or (a14 is not None and type(a14) is not str) or (a18 is not None and type(a18) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'fmea_type': a7, 'item': a8, 'function': a9, 'failure_mode': a10, 'effect': a11, 'cause': a12, 'prevention_controls': a13, 'detection_controls': a14, 'severity': D15(a15), 'occurrence': D16(a16), 'detection': D17(a17), 'recommended_action': a18, 'action_owner': (None if a19 is None else D19(a19)), 'action_due': (None if a20 is None else D20(a20)), 'action_done': (None if a21 is None else D21(a21)), 'severity_after': (None if a22 is None else D22(a22)), 'occurrence_after': (None if a23 is None else D23(a23)), 'detection_after': (None if a24 is None else D24(a24)), 'hazards': D25(a25), 'risk_controls': D26(a26)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.FmeaLine'] = ('b6ab7613d0191cd7', make_generator_model_risk_FmeaLine)


def make_generator_model_risk_Harm(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 9:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'severity': (None if a7 is None else D7(a7))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.Harm'] = ('43b950ed80341ab8', make_generator_model_risk_Harm)


def make_generator_model_risk_Hazard(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 10:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'category': a7, 'introduced_by': D8(a8)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.Hazard'] = ('27bed5e81d7e913f', make_generator_model_risk_Hazard)


def make_generator_model_risk_HazardousSituation(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D10, D11):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'hazard': (None if a7 is None else D7(a7)), 'sequence_of_events': D8(a8), 'harms': D9(a9), 'initial_risk': (None if a10 is None else D10(a10)), 'residual_risk': (None if a11 is None else D11(a11))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.HazardousSituation'] = ('47049cdd7f4c8287', make_generator_model_risk_HazardousSituation)


def make_generator_model_risk_RiskControl(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D9, D10):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 13:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a11 is not None and type(a11) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'mitigates': D8(a8), 'implemented_by': D9(a9), 'introduces': D10(a10), 'design_infeasible_rationale': a11}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.risk.RiskControl'] = ('41fe5d35cd24c52d', make_generator_model_risk_RiskControl)


def make_generator_model_supply_BomLine(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'material': D0(a0), 'quantity': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.BomLine'] = ('c9b74976823f19e3', make_generator_model_supply_BomLine)


def make_generator_model_supply_Certificate(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(a0) is not str or (a1 is not None and type(a1) is not str) or (a2 is not None and type(a2) is not str) or type(mask) is not int:
            raise Invalid
        d = {'standard': a0, 'number': a1, 'issuer': a2, 'issued': (None if a3 is None else D3(a3)), 'expires': (None if a4 is None else D4(a4))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Certificate'] = ('e8c26eb6ba5ea5ad', make_generator_model_supply_Certificate)


def make_generator_model_supply_Inspection(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D12, D13, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a9) is not str or type(a11) is not str or (a14 is not None and type(a14) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'receipt': D7(a7), 'lot_size': D8(a8), 'level': a9, 'aql': D10(a10), 'severity': a11, 'sample_size': (None if a12 is None else D12(a12)), 'defects': (None if a13 is None else D13(a13)), 'decision': a14, 'inspected': (None if a15 is None else D15(a15)), 'inspector': (None if a16 is None else D16(a16))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Inspection'] = ('984e4d9249a4cfe9', make_generator_model_supply_Inspection)


def make_generator_model_supply_InspectionPlan(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(a1) is not str or type(mask) is not int:
            raise Invalid
        d = {'aql': D0(a0), 'level': a1}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.InspectionPlan'] = ('93e9666f01903c2f', make_generator_model_supply_InspectionPlan)


def make_generator_model_supply_Material(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D14, D15, D16, D17):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 19:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or (a8 is not None and type(a8) is not str) or (a9 is not None and type(a9) is not str) or type(a10) is not bool or (a13 is not None and type(a13) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'type': a7, 'part_number': a8, 'revision': a9, 'critical': a10, 'approved_suppliers': D11(a11), 'specification': (None if a12 is None else D12(a12)), 'gtin': a13, 'shelf_life_months': (None if a14 is None else D14(a14)), 'storage': (None if a15 is None else D15(a15)), 'bom': D16(a16), 'inspection': (None if a17 is None else D17(a17))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Material'] = ('28f56e24f1fc67b5', make_generator_model_supply_Material)


def make_generator_model_supply_QualityAgreement(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'document': (None if a0 is None else D0(a0)), 'signed': (None if a1 is None else D1(a1)), 'expires': (None if a2 is None else D2(a2))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.QualityAgreement'] = ('97baf53ca8f056b7', make_generator_model_supply_QualityAgreement)


def make_generator_model_supply_Receipt(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D10, D11, D13, D14):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 16:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a9 is not None and type(a9) is not str) or (a12 is not None and type(a12) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'supplier': D7(a7), 'material': D8(a8), 'supplier_lot': a9, 'lot': (None if a10 is None else D10(a10)), 'quantity': D11(a11), 'purchase_order': a12, 'promised': (None if a13 is None else D13(a13)), 'received': D14(a14)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Receipt'] = ('159d873cde187df6', make_generator_model_supply_Receipt)


def make_generator_model_supply_Reevaluation(cls, Invalid, new, setattr_, sets, fields_set, privates, D1, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(a0) is not str or type(a2) is not str or (a4 is not None and type(a4) is not str) or type(mask) is not int:
            raise Invalid
        d = {'period': a0, 'decided': D1(a1), 'decision': a2, 'by': (None if a3 is None else D3(a3)), 'rationale': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Reevaluation'] = ('229e20208fc288b9', make_generator_model_supply_Reevaluation)


def make_generator_model_supply_StorageConditions(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2, D3, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'min_c': (None if a0 is None else D0(a0)), 'max_c': (None if a1 is None else D1(a1)), 'excursion_allowance_hours': (None if a2 is None else D2(a2)), 'mkt_max_c': (None if a3 is None else D3(a3)), 'activation_energy_kj_mol': D4(a4)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.StorageConditions'] = ('080eca8980be04ec', make_generator_model_supply_StorageConditions)


def make_generator_model_supply_Supplier(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D11, D12, D13, D14, D15, D16):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 18:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or (a7 is not None and type(a7) is not str) or type(a8) is not str or (a9 is not None and type(a9) is not str) or (a10 is not None and type(a10) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'scope': a7, 'criticality': a8, 'country': a9, 'contact': a10, 'approved': (None if a11 is None else D11(a11)), 'requalification_due': (None if a12 is None else D12(a12)), 'certificates': D13(a13), 'audits': D14(a14), 'quality_agreement': (None if a15 is None else D15(a15)), 'reevaluations': D16(a16)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.Supplier'] = ('2457bb3747e707c4', make_generator_model_supply_Supplier)


def make_generator_model_supply_SupplierAudit(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D4):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 7:
            raise Invalid
        a0, a1, a2, a3, a4, a5, mask = v
        if (a1 is not None and type(a1) is not str) or (a3 is not None and type(a3) is not str) or (a5 is not None and type(a5) is not str) or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'type': a1, 'auditor': (None if a2 is None else D2(a2)), 'result': a3, 'findings': D4(a4), 'report': a5}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.supply.SupplierAudit'] = ('23c2841d7baac7a1', make_generator_model_supply_SupplierAudit)


def make_generator_model_validation_EvidenceFile(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 3:
            raise Invalid
        a0, a1, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'path': D0(a0), 'sha256': D1(a1)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.EvidenceFile'] = ('a7dd4577879b4b86', make_generator_model_validation_EvidenceFile)


def make_generator_model_validation_Execution(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D3, D4, D5):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 7:
            raise Invalid
        a0, a1, a2, a3, a4, a5, mask = v
        if type(a2) is not str or type(mask) is not int:
            raise Invalid
        d = {'date': D0(a0), 'executed_by': D1(a1), 'result': a2, 'evidence': (None if a3 is None else D3(a3)), 'commit': (None if a4 is None else D4(a4)), 'deviations': D5(a5)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Execution'] = ('f49d61c644c0c745', make_generator_model_validation_Execution)


def make_generator_model_validation_Prerequisites(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D1, D2):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 4:
            raise Invalid
        a0, a1, a2, mask = v
        if type(mask) is not int:
            raise Invalid
        d = {'instruments': D0(a0), 'executors': D1(a1), 'training': D2(a2)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Prerequisites'] = ('cda025826be20065', make_generator_model_validation_Prerequisites)


def make_generator_model_validation_Protocol(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D8, D11, D12, D13, D14, D15, D16, D17, D19):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 21:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a7) is not str or type(a9) is not str or (a10 is not None and type(a10) is not str) or type(a18) is not bool or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'subject': a7, 'equipment': D8(a8), 'purpose': a9, 'scope': a10, 'references': D11(a11), 'prerequisites': (None if a12 is None else D12(a12)), 'acceptance_criteria': D13(a13), 'steps': D14(a14), 'sample_size': (None if a15 is None else D15(a15)), 'data': D16(a16), 'approved': (None if a17 is None else D17(a17)), 'automated': a18, 'executions': D19(a19)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.Protocol'] = ('2b3a1bd6eab60270', make_generator_model_validation_Protocol)


def make_generator_model_validation_ProtocolExecution(cls, Invalid, new, setattr_, sets, fields_set, privates, D3, D4, D6, D7, D8, D9, D11, D12, D14, D16, D17, D18):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 20:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, mask = v
        if type(a0) is not str or type(a1) is not str or type(a2) is not str or (a5 is not None and type(a5) is not str) or type(a10) is not str or type(a13) is not str or (a15 is not None and type(a15) is not bool) or type(mask) is not int:
            raise Invalid
        d = {'id': a0, 'title': a1, 'status': a2, 'owner': (None if a3 is None else D3(a3)), 'created': (None if a4 is None else D4(a4)), 'description': a5, 'tags': D6(a6), 'protocol': D7(a7), 'protocol_sha256': (None if a8 is None else D8(a8)), 'executed_by': D9(a9), 'runner': a10, 'started': D11(a11), 'finished': D12(a12), 'result': a13, 'commit': (None if a14 is None else D14(a14)), 'clean': a15, 'steps': D16(a16), 'evidence': D17(a17), 'deviations': D18(a18)}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.ProtocolExecution'] = ('3f1c95ad0a8cd222', make_generator_model_validation_ProtocolExecution)


def make_generator_model_validation_ProtocolStep(cls, Invalid, new, setattr_, sets, fields_set, privates, D0):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 6:
            raise Invalid
        a0, a1, a2, a3, a4, mask = v
        if type(a1) is not str or (a2 is not None and type(a2) is not str) or (a3 is not None and type(a3) is not str) or (a4 is not None and type(a4) is not str) or type(mask) is not int:
            raise Invalid
        d = {'id': D0(a0), 'feature': a1, 'scenario': a2, 'tag': a3, 'expected': a4}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.ProtocolStep'] = ('dfb6ee5325b0a3e9', make_generator_model_validation_ProtocolStep)


def make_generator_model_validation_SampleSize(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D3, D4, D5, D6):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 9:
            raise Invalid
        a0, a1, a2, a3, a4, a5, a6, a7, mask = v
        if type(a1) is not str or (a7 is not None and type(a7) is not str) or type(mask) is not int:
            raise Invalid
        d = {'n': D0(a0), 'method': a1, 'confidence': (None if a2 is None else D2(a2)), 'reliability': (None if a3 is None else D3(a3)), 'failures': D4(a4), 'cpk_target': (None if a5 is None else D5(a5)), 'cpk_planned': (None if a6 is None else D6(a6)), 'rationale': a7}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.SampleSize'] = ('caa83e71ab2cfbf7', make_generator_model_validation_SampleSize)


def make_generator_model_validation_StepTiming(cls, Invalid, new, setattr_, sets, fields_set, privates, D0, D2, D3):
    def decode(v, private=None):
        if type(v) is not list or len(v) != 5:
            raise Invalid
        a0, a1, a2, a3, mask = v
        if type(a1) is not str or type(mask) is not int:
            raise Invalid
        d = {'id': D0(a0), 'result': a1, 'started': (None if a2 is None else D2(a2)), 'finished': (None if a3 is None else D3(a3))}
        given = sets.get(mask)
        if given is None:
            given = fields_set(mask)
        obj = new(cls)
        setattr_(obj, '__dict__', d)
        setattr_(obj, '__pydantic_fields_set__', given)
        setattr_(obj, '__pydantic_extra__', None)
        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))
        return obj
    return decode


DECODERS['generator.model.validation.StepTiming'] = ('00afb6a1cab611cf', make_generator_model_validation_StepTiming)
