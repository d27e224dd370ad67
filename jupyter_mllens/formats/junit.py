"""JUnit XML: CI systems that show test reports (GitLab, Jenkins, Azure Pipelines) show findings.

One `<testsuite>` per linted file, one failing `<testcase>` per finding (named after the
rule and the place, so a report's history can follow it), and an erroring test case per
file that could not be linted. A clean run is one passing test case, so a CI dashboard sees
that the linter ran.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ..catalog import Catalog
from ..findings import Finding, LintError, LintResult
from .location import describe


def render_junit(result: LintResult, catalog: Catalog) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.path].append(finding)
    errors: dict[str, list[LintError]] = defaultdict(list)
    for error in result.errors:
        errors[error.path].append(error)
    root = ET.Element(
        "testsuites",
        name="mllens",
        tests=str(max(1, len(result.findings) + len(result.errors))),
        failures=str(len(result.findings)),
        errors=str(len(result.errors)),
    )
    for path in sorted(set(by_file) | set(errors)):
        findings, problems = by_file.get(path, []), errors.get(path, [])
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(len(findings) + len(problems)),
            failures=str(len(findings)),
            errors=str(len(problems)),
        )
        for finding in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{finding.code} {finding.name} ({describe(finding)})",
                classname=path,
                file=path,
                line=str(finding.line),
            )
            failure = ET.SubElement(
                case, "failure", message=finding.message, type=finding.severity.value
            )
            failure.text = (
                f"{describe(finding)}: {finding.code} {finding.name}\n{finding.message}\n"
                f"pillars: {', '.join(finding.pillars)}; phase: {finding.phase}; "
                f"ML Lens: {', '.join(finding.lens)}"
            )
        for problem in problems:
            case = ET.SubElement(suite, "testcase", name="lint", classname=path, file=path)
            ET.SubElement(case, "error", message=problem.message, type="input")
    if not by_file and not errors:
        suite = ET.SubElement(root, "testsuite", name="mllens", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name="no findings", classname="mllens")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
