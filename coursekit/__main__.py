"""Command line: python -m coursekit {release,normalize,demo,grade,export}."""
import argparse

from . import demo, release
from .grading import cli as grading_cli
from .paths import assignment_ids


def main() -> None:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    release_parser = sub.add_parser("release", help="normalise and stamp source/, then regenerate release/")
    release_parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    sub.add_parser("normalize", help="normalise and stamp the teacher notebooks in source/")
    demo_parser = sub.add_parser("demo", help="grade a demo class and print the grade table")
    demo_parser.add_argument("--folder", default="demo_class", help="course folder to (re)create")
    grading_cli.add_arguments(sub.add_parser("grade", help="grade a class: repair, sandboxed run, gradebook, "
                                                          "feedback, CSV"))
    grading_cli.add_export_arguments(sub.add_parser("export", help="final grades from the gradebook (manual grades "
                                                              "included): CSV, summary, feedback"))
    args = parser.parse_args()

    if args.command == "release":
        release.main(args.assignments or None)
    elif args.command == "normalize":
        for path in release.tidy_sources(assignment_ids()):
            print(f"normalised {path}")
    elif args.command == "demo":
        demo.main(args.folder)
    elif args.command == "grade":
        raise SystemExit(grading_cli.grade(args))
    elif args.command == "export":
        raise SystemExit(grading_cli.export(args))


if __name__ == "__main__":
    main()
