"""A course directory as nbgrader sees it: its configuration, lessons and submissions.

The grader runs nbgrader's converters and preprocessors inside its own processes (starting
`nbgrader` costs seconds per command), so it loads nbgrader_config.py the way nbgrader's apps
do: Jupyter's config path first, the course's own file last and strongest.
"""

from dataclasses import dataclass
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from traitlets.config import Config, PyFileConfigLoader


class CourseError(Exception):
    """The course directory cannot be graded as it is; the message says what to do."""


def load_config(root):
    """nbgrader's configuration for the course at `root`, with an absolute gradebook URL."""
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if (Path(folder) / "nbgrader_config.py").is_file():
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    config.CourseDirectory.root = str(root)
    url = config.CourseDirectory.get("db_url", f"sqlite:///{root / 'gradebook.db'}")
    # A relative sqlite path is relative to the working directory; nbgrader's own commands run
    # from the course root, the grader may not.
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{(root / url[len('sqlite:///') :]).resolve()}"
    config.CourseDirectory.db_url = url
    return config


@dataclass(frozen=True)
class Course:
    """Paths and settings of one course directory."""

    root: Path
    config: Config

    @classmethod
    def open(cls, root):
        root = Path(root).resolve()
        if not (root / "nbgrader_config.py").is_file():
            raise CourseError(f"{root} has no nbgrader_config.py: give the course directory")
        return cls(root, load_config(root))

    def folder(self, step):
        """The directory of an nbgrader step: 'source', 'release', 'submitted', ..."""
        name = self.config.CourseDirectory.get(f"{step}_directory", step)
        return self.root / name

    @property
    def db_url(self):
        return self.config.CourseDirectory.db_url

    @property
    def course_id(self):
        """As nbgrader's commands hand it to the gradebook ('' is CourseDirectory's default)."""
        return self.config.CourseDirectory.get("course_id", "")

    def notebooks(self, lesson):
        """Names (without .ipynb) of a lesson's notebooks, from its source folder."""
        return sorted(p.stem for p in (self.folder("source") / lesson).glob("*.ipynb"))

    def submissions(self):
        """(student, lesson) pairs under submitted/<student>/<lesson>/, sorted."""
        root = self.folder("submitted")
        if not root.is_dir():
            return []
        return sorted(
            (s.name, a.name)
            for s in root.iterdir()
            if s.is_dir() and not s.name.startswith(".")
            for a in s.iterdir()
            if a.is_dir() and not a.name.startswith(".")
        )
