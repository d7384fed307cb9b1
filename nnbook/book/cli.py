"""The ``nnbook`` command: ``tour``, ``check``, ``course build``/``exercises``, ``train``, ``data``."""

from __future__ import annotations

import argparse
import sys


def _tour(args) -> int:
    from nnbook.book.tour import run_tour

    return run_tour(args.out, json_path=args.json, grade=not args.no_grading)


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


def _train(args) -> int:
    import numpy as np

    from nnbook.data import load_digits, load_mnist_files
    from nnbook.models.network import Network
    from nnbook.models.network import sgd

    data = load_mnist_files(args.data) if args.data else load_digits()
    print(data)
    rng = np.random.default_rng(args.seed)
    sizes = (data.X_train.shape[1], *args.hidden, data.n_classes)
    net = Network(sizes, rng=rng)
    history = sgd(net, data.X_train, data.y_train, epochs=args.epochs, batch_size=args.batch_size,
                  eta=args.eta, rng=rng, test=(data.X_test, data.y_test),
                  kernel=args.kernel, progress=not args.quiet)
    for record in history:
        print(f"epoch {record['epoch']:3d}: cost {record['cost']:.4f}, "
              f"test accuracy {record['test_accuracy']:.4f}")
    return 0


def _download_mnist(args) -> int:
    from nnbook.data import download_mnist

    print(f"MNIST files in {download_mnist(directory=args.directory, progress=True)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnbook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    tour = commands.add_parser("tour", help="run every chapter's demos, the reproduction table "
                               "and the graded reference solutions")
    tour.add_argument("--out", default="nnbook-output", help="folder for the figures")
    tour.add_argument("--json", metavar="FILE", help="also write the reproduction table as JSON")
    tour.add_argument("--no-grading", action="store_true", help="skip the nbgrader run")
    tour.set_defaults(run=_tour)

    check = commands.add_parser("check", help="run a notebook's visible exercise checks")
    check.add_argument("notebook")
    check.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    check.set_defaults(run=_check)

    course = commands.add_parser("course", help="the nbgrader course").add_subparsers(
        dest="course_command", required=True)
    build = course.add_parser("build", help="create an nbgrader course folder")
    build.add_argument("directory")
    build.add_argument("--solutions", help="source notebooks (default: the repository's solutions/)")
    build.add_argument("--timeout", type=int, default=60, help="seconds per cell when autograding")
    build.set_defaults(run=_course_build)
    exercises = course.add_parser("exercises", help="regenerate exercises/ from solutions/")
    exercises.add_argument("--solutions")
    exercises.add_argument("--exercises")
    exercises.set_defaults(run=_course_exercises)

    train = commands.add_parser("train", help="train the chapter-1 digit network")
    train.add_argument("--data", help="folder with MNIST-format files (default: offline digits)")
    train.add_argument("--hidden", type=int, nargs="+", default=[30])
    train.add_argument("--epochs", type=int, default=30)
    train.add_argument("--batch-size", type=int, default=10)
    train.add_argument("--eta", type=float, default=3.0)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--kernel", choices=("numba", "reference"), default="numba")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=_train)

    data = commands.add_parser("data", help="data sets").add_subparsers(dest="data_command",
                                                                        required=True)
    mnist = data.add_parser("download-mnist", help="download MNIST (sha256-checked) to the cache")
    mnist.add_argument("--directory")
    mnist.set_defaults(run=_download_mnist)
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
