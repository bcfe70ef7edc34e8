"""Mixed exposure: substances with the same target organ or effect, Σ Cᵢ/OELᵢ ≤ 1 (reference.md §2.1).

Above 1 does not conform even when every single substance conforms. Which substances share an effect is
the evaluator's call (it is not in the OEL table); this module only does the sum.
"""

from dataclasses import dataclass

from .errors import Invalid
from .grades import default_evaluation_rules
from .judgements import CONFORM, NONCONFORM, UNDETERMINED, exceeds, format_sig


@dataclass(frozen=True)
class MixtureTerm:
    """One substance's share: measured value, the limit used and their ratio."""

    substance_key: str
    measured: float
    limit_value: float
    ratio: float


@dataclass(frozen=True)
class MixtureEvaluation:
    """Verdict on Σ Cᵢ/OELᵢ with its terms and the limits used."""

    limit_type: str
    result: str
    index: float | None
    index_max: float
    terms: tuple
    reason_zh: str
    reason_en: str
    limits_used: tuple = ()


def mixture_index(pairs):
    """Σ Cᵢ / OELᵢ over (concentration, limit) pairs, full precision."""
    pairs = list(pairs)
    if any(float(limit) <= 0 for _, limit in pairs):
        raise Invalid("限值必须为正数", details=[{"field": "limit", "message": "must be > 0"}])
    return sum(float(c) / float(limit) for c, limit in pairs)


def evaluate_mixture(evaluations, limit_type="PC-TWA", rules=None):
    """Judge Σ Cᵢ/OELᵢ for the checks of limit_type in several Evaluations (same sample, same effect)."""
    index_max = (rules or default_evaluation_rules()).mixture_index_max
    terms, used, lacking = [], [], []
    for evaluation in evaluations:
        check = next((c for c in evaluation.checks if c.limit_type == limit_type and c.ratio is not None), None)
        if check is None:
            lacking.append(evaluation.substance_key)
            continue
        terms.append(MixtureTerm(evaluation.substance_key, check.measured, check.limit_value, check.ratio))
        used.append(check.limit_used)
    if lacking or len(terms) < 2:
        missing = "、".join(lacking) or "少于两种物质"
        return MixtureEvaluation(limit_type, UNDETERMINED, None, index_max, tuple(terms),
                                 f"混合接触无法计算（{missing} 无 {limit_type} 比值），不判定",
                                 f"mixture index not computable ({', '.join(lacking) or 'fewer than two'}"
                                 f" without a {limit_type} ratio): not judged", tuple(used))
    index = mixture_index((t.measured, t.limit_value) for t in terms)
    sum_text = " + ".join(f"{format_sig(t.measured)}/{format_sig(t.limit_value)}" for t in terms)
    if exceeds(index, index_max):
        return MixtureEvaluation(limit_type, NONCONFORM, index, index_max, tuple(terms),
                                 f"混合接触 ΣC/OEL = {sum_text} = {format_sig(index)} > {format_sig(index_max)}，不符合",
                                 f"mixture ΣC/OEL = {sum_text} = {format_sig(index)} > "
                                 f"{format_sig(index_max)}: does not conform", tuple(used))
    return MixtureEvaluation(limit_type, CONFORM, index, index_max, tuple(terms),
                             f"混合接触 ΣC/OEL = {sum_text} = {format_sig(index)} ≤ {format_sig(index_max)}，符合",
                             f"mixture ΣC/OEL = {sum_text} = {format_sig(index)} ≤ {format_sig(index_max)}: conforms",
                             tuple(used))
