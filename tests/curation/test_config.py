"""CurationConfig: DESIGN's defaults, validation with clear messages, stable fingerprints, YAML round trip."""

from __future__ import annotations

import pytest
import yaml

from litcode.curation import CurationConfig, CurationError


def test_defaults_follow_the_design_contract() -> None:
    config = CurationConfig()
    assert (config.languages, config.min_stars, config.min_forks) == (None, None, None)
    assert (config.max_line_length, config.max_avg_line_length, config.min_alnum_fraction) == (
        1000,
        100,
        0.25,
    )
    assert (config.exclude_patterns, config.required_frameworks) == ((), ())
    assert (config.exact_dedup, config.near_dedup, config.near_dedup_threshold) == (True, True, 0.85)
    assert (config.num_perm, config.shingle_size) == (256, 5)
    assert (config.secrets, config.insecure, config.licenses) == ("redact", "tag", "permissive")


def test_lists_from_yaml_become_tuples() -> None:
    config = CurationConfig(languages=["Python", "Rust"], exclude_patterns=["vendor/"])
    assert config.languages == ("python", "rust")
    assert config.exclude_patterns == ("vendor/",)


def test_a_bare_string_is_one_item_not_its_characters() -> None:
    assert CurationConfig(languages="python").languages == ("python",)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("secrets", "hide", "secrets must be one of"),
        ("insecure", "block", "insecure must be one of"),
        ("licenses", "copyleft", "licenses must be one of"),
        ("insecure_min_severity", "urgent", "insecure_min_severity must be one of"),
        ("min_quality_score", 1.5, "min_quality_score must be in"),
        ("near_dedup_threshold", 0.0, "near_dedup_threshold must be in"),
        ("min_alnum_fraction", -0.1, "min_alnum_fraction must be in"),
        ("max_line_length", 0, "max_line_length must be positive"),
        ("batch_size", -3, "batch_size must be positive"),
        ("min_stars", -1, "min_stars must be >= 0"),
        ("exclude_patterns", ["(unclosed"], "is not a regex"),
        ("required_frameworks", ["rails"], "unknown ['rails']"),
    ],
)
def test_invalid_values_are_rejected_with_the_field_named(field: str, value: object, message: str) -> None:
    with pytest.raises(CurationError, match=message.replace("(", r"\(").replace("[", r"\[")):
        CurationConfig(**{field: value})  # type: ignore[arg-type]


def test_min_bytes_above_max_bytes_is_rejected() -> None:
    with pytest.raises(CurationError, match="min_bytes"):
        CurationConfig(min_bytes=10, max_bytes=5)


def test_equal_configs_have_equal_fingerprints() -> None:
    assert (
        CurationConfig(languages=["python"]).fingerprint()
        == CurationConfig(languages=("python",)).fingerprint()
    )


def test_changing_any_threshold_changes_the_fingerprint() -> None:
    assert CurationConfig().fingerprint() != CurationConfig(max_line_length=999).fingerprint()


def test_to_dict_round_trips_through_yaml() -> None:
    config = CurationConfig(languages=["go"], exclude_patterns=["_test\\.go$"], secrets="drop")
    restored = CurationConfig.from_dict(yaml.safe_load(yaml.safe_dump(config.to_dict())))
    assert restored == config


def test_from_dict_names_unknown_fields() -> None:
    with pytest.raises(CurationError, match="min_star"):
        CurationConfig.from_dict({"min_star": 3})


def test_jsonargparse_builds_the_config_from_yaml_text() -> None:
    from jsonargparse import ArgumentParser

    parser = ArgumentParser()
    parser.add_class_arguments(CurationConfig, "curation")
    namespace = parser.parse_string("curation:\n  languages: [python]\n  secrets: drop\n  min_stars: 3\n")
    config = parser.instantiate(namespace).curation
    assert (config.languages, config.secrets, config.min_stars) == (("python",), "drop", 3)
