"""The ``nnbook`` command: ``tour``, ``check``, ``course build``/``exercises``, ``grade``,
``train``, ``experiments``, ``data``, ``book build``."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = ("nnbook: neural networks as a runnable textbook. Run every chapter's demos (tour), "
               "check an exercise notebook (check), build the nbgrader course (course), autograde a "
               "class in parallel (grade), train "
               "chapter 1's digit network (train), re-run a source's experiment table "
               "(experiments), download MNIST (data) or build the web book (book).")
SOLUTIONS_HELP = ("folder of the instructor solutions, solutions/<assignment>/*.ipynb (not in the "
                  "package: the repository's solutions/ folder; default: the checkout's "
                  "solutions/ when nnbook runs from a checkout)")


def _tour(args) -> int:
    from nnbook.book.tour import run_tour

    return run_tour(args.out, json_path=args.json, grade=not args.no_grading,
                    solutions=args.solutions, chapters=args.chapters)


def _check(args) -> int:
    from nnbook.book.check import run_check

    return run_check(args.notebook, timeout=args.timeout)


def _course_build(args) -> int:
    from nnbook.book.course import build_course

    course = build_course(args.directory, solutions_dir=args.solutions, timeout=args.timeout)
    print(f"nbgrader course created in {course}; next: cd {course} && nbgrader generate_assignment "
          "<assignment>  (see its README.md)")
    return 0


def _course_exercises(args) -> int:
    from nnbook.book.course import generate_exercises

    for path in generate_exercises(args.solutions, args.exercises):
        print(f"wrote {path}")
    return 0


def _grade(args) -> int:
    from nnbook.book.autograde.batch import grade_assignment

    report = grade_assignment(args.course, args.assignment, workers=args.workers,
                              scheduler=args.scheduler, students=args.student, force=args.force,
                              progress=not args.quiet)
    if report.results:
        print(report.table())
    return report.exit_status


def _train(args) -> int:
    import numpy as np

    from nnbook.data import load_digits, load_mnist_files
    from nnbook.models.network import Network

    data = load_mnist_files(args.data) if args.data else load_digits()
    print(data)
    rng = np.random.default_rng(args.seed)
    net = Network((data.X_train.shape[1], *args.hidden, data.n_classes), rng)
    history = net.sgd(data.X_train, data.y_train, epochs=args.epochs, batch_size=args.batch_size,
                      eta=args.eta, rng=rng, test=(data.X_test, data.y_test),
                      kernel=args.kernel, progress=not args.quiet)
    values = history.history
    for i, epoch in enumerate(history.epoch):
        print(f"epoch {epoch:3d}: training cost {values['loss'][i]:.4f}, "
              f"test accuracy {values['test_accuracy'][i]:.4f}")
    return 0


def _experiments(args) -> int:
    from nnbook.book.experiments import run_experiments

    return run_experiments(args.source, data_dir=args.data, quick=args.quick, sweeps=args.sweeps,
                           out=args.out, seed=args.seed, progress=not args.quiet)


def _download_mnist(args) -> int:
    from nnbook.data import download_mnist

    print(f"MNIST files in {download_mnist(directory=args.directory, progress=True)}")
    return 0


def _book_build(args) -> int:
    from nnbook.book.site.build import SiteBuildError, build_site

    try:
        report = build_site(args.out, chapters=args.chapters, execute=not args.no_execute,
                            quiet=args.quiet, chapters_dir=args.chapters_dir,
                            exercises_dir=args.exercises_dir)
    except SiteBuildError as error:
        print(f"nnbook book build: {error}", file=sys.stderr)
        return 1
    index = report.out / "index.html"
    print(f"the book is in {report.out} ({len(report.pages)} pages); open {index}")
    if report.warnings:
        print(f"Sphinx warned {len(report.warnings)} times; see {report.log}")
    if args.open:
        import webbrowser

        webbrowser.open(index.as_uri())
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, found {text}")
    return value


def _add_tour(commands) -> None:
    tour = commands.add_parser(
        "tour", help="run every chapter's demos, the reproduction table and the graded reference "
        "solutions", description="Draw every landed chapter's figures, print the table of the "
        "sources' numbers that nnbook reproduces, and grade the reference solutions through "
        "nbgrader when a solutions folder is available. Exit 0 when everything matches.")
    tour.add_argument("--out", default="nnbook-output", metavar="DIR",
                      help="folder for the figures (default: %(default)s)")
    tour.add_argument("--json", metavar="FILE",
                      help="also write the reproduction table, every field, as JSON to FILE")
    tour.add_argument("--solutions", metavar="PATH", help=SOLUTIONS_HELP + "; with neither, "
                      "grading is skipped")
    tour.add_argument("--no-grading", action="store_true",
                      help="skip grading the reference solutions")
    tour.add_argument("--chapters", nargs="+", metavar="SOURCE",
                      help="source ids of the chapters to tour, e.g. nielsen-1 (default: every "
                      "landed one); grading still covers every assignment of the solutions folder")
    tour.set_defaults(run=_tour)


def _add_check(commands) -> None:
    check = commands.add_parser(
        "check", help="run a notebook's visible exercise checks",
        description="Run an exercise notebook headless with its visible checks (hidden tests "
        "removed); print one line per exercise and 'score: X / Y'. Exit 0 when every check "
        "passes, 1 when one fails, 2 when the file is not an exercise notebook.")
    check.add_argument("notebook", help="the exercise notebook (.ipynb)")
    check.add_argument("--timeout", type=_positive_int, default=120, metavar="SECONDS",
                       help="time limit per cell in seconds (default: %(default)s)")
    check.set_defaults(run=_check)


def _add_course(commands) -> None:
    course = commands.add_parser(
        "course", help="build the nbgrader course or regenerate the student notebooks",
        description="The nbgrader course, built from the instructor solutions.",
    ).add_subparsers(dest="course_command", required=True, metavar="{build,exercises}")
    build = course.add_parser(
        "build", help="create an nbgrader course folder",
        description="Create (or refresh) an nbgrader course in DIRECTORY: source/ from the "
        "solutions, nbgrader_config.py, README.md, rubrics.md, and the gradebook.")
    build.add_argument("directory", help="the course folder to create")
    build.add_argument("--solutions", metavar="PATH", help=SOLUTIONS_HELP)
    build.add_argument("--timeout", type=_positive_int, default=60, metavar="SECONDS",
                       help="time limit per cell when autograding (default: %(default)s)")
    build.set_defaults(run=_course_build)
    exercises = course.add_parser(
        "exercises", help="regenerate the student notebooks from the solutions",
        description="Write the student notebooks (solutions and hidden tests removed by "
        "nbgrader) from the solutions folder.")
    exercises.add_argument("--solutions", metavar="PATH", help=SOLUTIONS_HELP)
    exercises.add_argument("--exercises", metavar="PATH",
                           help="folder to write them to (default: the checkout's exercises/)")
    exercises.set_defaults(run=_course_exercises)


def _add_grade(commands) -> None:
    grade = commands.add_parser(
        "grade", help="autograde every submission of an assignment, in parallel",
        description="Autograde the submissions course/submitted/<student>/ASSIGNMENT/*.ipynb: "
        "each notebook runs in the sandbox on N worker processes (or on a Dask cluster), then "
        "one 'nbgrader autograde' records the grades in gradebook.db. Only new or changed "
        "submissions are graded (--force: all of them); files that are not readable notebooks "
        "are reported and skipped. Prints each student's score and what needs a look. Exit 0 "
        "when every submission was graded without problems, 1 when some need a look, 2 on a "
        "usage error.")
    grade.add_argument("assignment", help="the assignment, e.g. ch01-nielsen")
    grade.add_argument("--course", default=".", metavar="DIR",
                       help="the nbgrader course folder (default: the current folder)")
    where = grade.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="worker processes on this machine (default: the number of cores)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the notebooks on the Dask cluster whose scheduler is at "
                       "ADDRESS (e.g. tcp://10.0.0.5:8786) instead; every Dask worker must see "
                       "the course folder at the same path as here (a shared file system) and "
                       "run the same nnbook")
    grade.add_argument("--student", nargs="+", metavar="ID",
                       help="grade these students only (default: everyone who submitted)")
    grade.add_argument("--force", action="store_true",
                       help="regrade unchanged submissions too, running every notebook again "
                       "(the course's execution cache is emptied)")
    grade.add_argument("--quiet", action="store_true", help="no progress bars")
    grade.set_defaults(run=_grade)


def _add_train(commands) -> None:
    train = commands.add_parser(
        "train", help="train the chapter-1 digit network",
        description="Train Nielsen's sigmoid network by mini-batch SGD on the quadratic cost "
        "(chapter 1) and print the training cost (Nielsen eq. (6)) and the test accuracy after "
        "each epoch.")
    train.add_argument("--data", metavar="DIR", help="folder with MNIST-format IDX files, e.g. "
                       "Fashion-MNIST (default: scikit-learn's offline 8x8 digits)")
    train.add_argument("--hidden", type=_positive_int, nargs="+", default=[30], metavar="N",
                       help="neurons per hidden layer (default: 30)")
    train.add_argument("--epochs", type=int, default=30,
                       help="passes over the training set (default: %(default)s)")
    train.add_argument("--batch-size", type=int, default=10,
                       help="examples per mini-batch (default: %(default)s)")
    train.add_argument("--eta", type=float, default=3.0,
                       help="learning rate eta (default: %(default)s)")
    train.add_argument("--seed", type=int, default=0,
                       help="seed of the initial weights and the shuffling (default: %(default)s)")
    train.add_argument("--kernel", choices=("numba", "reference", "layers"), default="numba",
                       help="how an epoch runs: the compiled Numba kernel, the readable "
                       "per-example reference, or the Dense layers; the same arithmetic "
                       "(default: %(default)s)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=_train)


def _add_experiments(commands) -> None:
    from nnbook.book.experiments import REGISTRY

    experiments = commands.add_parser(
        "experiments", help="re-run a source's experiment table beside the source's numbers",
        description="Train the source's runs (gulli-1: the MNIST table R1-R6 of Gulli & Pal "
        "ch. 1) with the book's Keras programs on nnbook, print the source's numbers and "
        "nnbook's side by side (train / validation / test, epochs, seconds), check what must "
        "carry across data sets, and save history plots. Data: --data DIR when given, else "
        "MNIST in nnbook's cache (nnbook data download-mnist), else the offline 8x8 digits. "
        "Exit 0 when every check held, 1 when one failed.")
    experiments.add_argument("source", choices=sorted(REGISTRY), help="the source whose "
                             "experiments to run")
    experiments.add_argument("--data", metavar="DIR", help="folder of four MNIST-format IDX "
                             "files, e.g. Fashion-MNIST (taken before nnbook's MNIST cache)")
    experiments.add_argument("--quick", action="store_true", help="a subset of the data (gulli-1: "
                             "the first 6,000 training and 2,000 test images) and a quarter of "
                             "the epochs, with their own checks")
    experiments.add_argument("--sweeps", action="store_true", help="also run the sweeps "
                             "(gulli-1: R7-R11, dropout rate, epochs, learning rate, hidden "
                             "units, batch size) and plot them beside the source's claims")
    experiments.add_argument("--out", default="nnbook-output", metavar="DIR",
                             help="the figures go to DIR/experiments-SOURCE (default: "
                             "%(default)s)")
    experiments.add_argument("--seed", type=int, metavar="N", help="seed of every run "
                             "(default: the book's, 1671 for gulli-1)")
    experiments.add_argument("--quiet", action="store_true", help="no progress bars")
    experiments.set_defaults(run=_experiments)


def _add_data(commands) -> None:
    data = commands.add_parser("data", help="download data sets",
                               description="Data sets nnbook can download.").add_subparsers(
        dest="data_command", required=True, metavar="{download-mnist}")
    mnist = data.add_parser(
        "download-mnist", help="download MNIST (sha256-checked) to the cache",
        description="Download the four MNIST files, check their sha256, and keep them in the "
        "cache.")
    mnist.add_argument("--directory", metavar="DIR", help="where to keep the files (default: "
                       "$NNBOOK_DATA_DIR, else ~/.cache/nnbook)")
    mnist.set_defaults(run=_download_mnist)


def _add_book(commands) -> None:
    book = commands.add_parser(
        "book", help="build the web book (needs: pip install 'nnbook[book]')",
        description="The chapters as a website.",
    ).add_subparsers(dest="book_command", required=True, metavar="{build}")
    build = book.add_parser(
        "build", help="build the static HTML site",
        description="Build every landed chapter (executed, with its figures), the student "
        "exercises, the source notes, a bilingual glossary and the API reference as a static "
        "site in OUT/html that reads offline (MathJax and fonts included). OUT/cache keeps the "
        "executed notebooks: a rebuild after a prose edit runs no code. Publish OUT/html on any "
        "static host.")
    build.add_argument("out", nargs="?", default="nnbook-book",
                       help="output folder (default: %(default)s)")
    build.add_argument("--chapters", nargs="+", metavar="SOURCE",
                       help="source ids of the chapters to include (default: every landed one)")
    build.add_argument("--no-execute", action="store_true",
                       help="show the chapters without running them (no outputs)")
    build.add_argument("--chapters-dir", metavar="DIR",
                       help="the chapters/ folder (default: the checkout's)")
    build.add_argument("--exercises-dir", metavar="DIR",
                       help="the exercises/ folder (default: the checkout's)")
    build.add_argument("--open", action="store_true", help="open the site in a browser")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(run=_book_build)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnbook", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{tour,check,course,grade,train,experiments,data,book}")
    for add in (_add_tour, _add_check, _add_course, _add_grade, _add_train, _add_experiments,
                _add_data, _add_book):
        add(commands)
    return parser


def main(argv=None) -> int:
    from nnbook.book.course import CourseError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError, TypeError, CourseError) as error:
        print(f"nnbook {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
