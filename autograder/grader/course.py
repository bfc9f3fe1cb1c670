"""A course directory: the one owner of its layout and of the grader's settings.

Every folder the grader reads or writes is named here and nowhere else: nbgrader's step
folders (source, release, submitted, autograded, feedback, as the course's nbgrader_config.py
names them), the grader's scratch space, grades.csv and the gradebook's URL. Settings are
traitlets configuration, as in nbgrader: the course's nbgrader_config.py, then whatever the
command line sets (`Course.open(root, overrides)`); each grading step reads its own traits from
`course.config`, so a setting travels to the kernel without being passed by hand.

The grader runs nbgrader's converters and preprocessors inside its own processes (starting
`nbgrader` costs seconds per command), so it loads nbgrader_config.py the way nbgrader's apps
do: Jupyter's config path first, the course's own file last and strongest.
"""

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from traitlets.config import Config, PyFileConfigLoader

from autograder.grader.gradebook_access import GradebookAccess, sqlite_file, with_busy_timeout

CONFIG_FILE = "nbgrader_config.py"
STEPS = ("source", "release", "submitted", "autograded", "feedback")
# The repository this package lives in: its nbgrader_config.py and lessons are the template
# every new course (the demo's, the tests', the benchmark's) is made from.
TEMPLATE = Path(__file__).resolve().parents[2]


class CourseError(Exception):
    """The course directory cannot be used as it is; the message says what to do."""


def load_config(root, overrides=None):
    """nbgrader's configuration for the course at `root`, with an absolute gradebook URL.

    overrides: a traitlets Config merged last (the command line's settings).
    """
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if (Path(folder) / CONFIG_FILE).is_file():
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    if overrides:
        config.merge(overrides)
    config.CourseDirectory.root = str(root)
    url = config.CourseDirectory.get("db_url", f"sqlite:///{root / 'gradebook.db'}")
    # A relative sqlite path is relative to the working directory; nbgrader's own commands run
    # from the course root, the grader may not.
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{(root / url[len('sqlite:///') :]).resolve()}"
    # Every gradebook connection, nbgrader's own included, waits for another program's lock.
    config.CourseDirectory.db_url = with_busy_timeout(
        url, GradebookAccess(config=config).busy_timeout
    )
    return config


@dataclass(frozen=True)
class Course:
    """Paths and settings of one course directory (picklable: workers receive it whole)."""

    root: Path
    config: Config

    SCRATCH = ".grading"  # the grader's own space under the root; nothing of nbgrader's

    @classmethod
    def open(cls, root, overrides=None):
        """The course at `root`; CourseError if it is not one.

        overrides: a traitlets Config (or dict) of settings that beat nbgrader_config.py.
        """
        root = Path(root).resolve()
        if not root.is_dir():
            raise CourseError(f"{root} does not exist: give the course directory")
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{root} has no {CONFIG_FILE}: give the course directory")
        return cls(root, load_config(root, Config(overrides or {})))

    @classmethod
    def create(cls, root, lessons=None, template=TEMPLATE):
        """A new course at `root` (missing or empty) from the template's config and lessons.

        lessons: names of the template's lessons to copy (default: all of them).
        """
        root = Path(root).resolve()
        if root.exists() and any(root.iterdir()):
            raise CourseError(f"{root} is not empty: give a new directory")
        origin = cls.open(template)
        available = origin.lessons()
        names = list(lessons or available)
        unknown = [n for n in names if n not in available]
        if unknown:
            raise CourseError(
                f"no lesson named {', '.join(unknown)}; lessons: {', '.join(available)}"
            )
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(template / CONFIG_FILE, root / CONFIG_FILE)
        course = cls.open(root)
        for name in names:
            shutil.copytree(origin.source / name, course.source / name)
        for page in origin.pages():
            shutil.copy2(page, course.source / page.name)
        return course

    def with_config(self, overrides):
        """This course with more settings merged on top (a Config or a dict)."""
        config = copy.deepcopy(self.config)  # Config(config) would share its sections
        config.merge(Config(overrides))
        return Course(self.root, config)

    # ------------------------------------------------------------------ nbgrader's folders

    def folder(self, step):
        """The directory of an nbgrader step: 'source', 'release', 'submitted', ..."""
        if step not in STEPS:
            raise ValueError(f"unknown step {step!r}; steps: {', '.join(STEPS)}")
        name = self.config.CourseDirectory.get(f"{step}_directory", step)
        return self.root / name

    source = property(lambda self: self.folder("source"))
    release = property(lambda self: self.folder("release"))
    submitted = property(lambda self: self.folder("submitted"))
    autograded = property(lambda self: self.folder("autograded"))
    feedback = property(lambda self: self.folder("feedback"))

    def notebook(self, step, lesson, name=None, student=None):
        """Path of a lesson's notebook in a step's folder (per student where the step has one).

        name: the notebook's name without .ipynb (default: the lesson's own name).
        """
        folder = self.folder(step)
        if student is not None:
            folder = folder / student
        return folder / lesson / f"{name or lesson}.ipynb"

    def feedback_file(self, student, lesson, name=None):
        """Where nbgrader's GenerateFeedback writes one notebook's feedback HTML."""
        return self.feedback / student / lesson / f"{name or lesson}.html"

    @property
    def exchange(self):
        """nbgrader's exchange folder (release_assignment, submit, collect go through it)."""
        return Path(self.config.Exchange.get("root", "/usr/local/share/nbgrader/exchange"))

    @property
    def grades_csv(self):
        return self.root / "grades.csv"

    @property
    def db_url(self):
        return self.config.CourseDirectory.db_url

    @property
    def gradebook_file(self):
        """The gradebook's file (None when it is not SQLite)."""
        found = sqlite_file(self.db_url)
        return None if found is None else Path(found)

    @property
    def course_id(self):
        """As nbgrader's commands hand it to the gradebook ('' is CourseDirectory's default)."""
        return self.config.CourseDirectory.get("course_id", "")

    # ------------------------------------------------------------------ lessons and work

    def lessons(self):
        """The lessons in the source folder (folders holding a notebook), sorted by name."""
        if not self.source.is_dir():
            return []
        return sorted(
            d.name
            for d in self.source.iterdir()
            if d.is_dir() and not d.name.startswith(".") and any(d.glob("*.ipynb"))
        )

    def pages(self):
        """Notebooks directly in the source folder, beside the lessons: pages every lesson
        links to (the notation page), which release ships into each released lesson."""
        if not self.source.is_dir():
            return []
        return sorted(p for p in self.source.glob("*.ipynb") if p.is_file())

    def notebooks(self, lesson):
        """Names (without .ipynb) of a lesson's notebooks, from its source folder."""
        return sorted(p.stem for p in (self.source / lesson).glob("*.ipynb"))

    def lesson_files(self, lesson):
        """[(relative path, path)] of a lesson's own files other than notebooks (data, helpers)."""
        folder = self.source / lesson
        return [
            (path.relative_to(folder), path)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts
        ]

    def submissions(self):
        """(student, lesson) pairs under submitted/<student>/<lesson>/, sorted."""
        root = self.submitted
        if not root.is_dir():
            return []
        return sorted(
            (s.name, a.name)
            for s in root.iterdir()
            if s.is_dir() and not s.name.startswith(".")
            for a in s.iterdir()
            if a.is_dir() and not a.name.startswith(".")
        )

    # ------------------------------------------------------------------ the grader's scratch

    @property
    def scratch(self):
        """The grader's scratch space: executed copies and the kernels' working folders."""
        return self.root / self.SCRATCH

    EXECUTED = f"{SCRATCH}/executed"  # relative to the root: nbgrader's autograde reads it

    def executed(self, student, lesson):
        """Where a submission's executed notebooks wait for nbgrader's autograde."""
        return self.root / self.EXECUTED / student / lesson

    def workdir(self, student, lesson):
        """A submission's kernel's working folder (its lesson files, kernel.log)."""
        return self.scratch / "run" / student / lesson
