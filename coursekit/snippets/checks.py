# Outil de notation des cellules de test (cellule fournie, ne pas modifier).
import contextlib
import io
import warnings


class Checks:
    """Barème d'une cellule de test : chaque vérification cachée rapporte des points.

    Les vérifications visibles sont de simples `assert` ; les vérifications cachées passent
    par `check`, et `score()` renvoie le total obtenu, que nbgrader lit comme la note de la
    cellule. Un échec n'arrête pas les autres vérifications : son message est affiché.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.earned = 0.0
        self.total = 0.0
        self.failures: list[str] = []

    def check(self, points: float, description: str, test) -> None:
        """Exécute `test()` sans rien écrire sur stderr ; des points s'il ne lève rien."""
        self.total += points
        try:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                test()
        except AssertionError as error:
            self.failures.append(f"{description} : {error}")
        except Exception as error:  # an exception in student code costs this check only
            self.failures.append(f"{description} : {type(error).__name__} : {error}")
        else:
            self.earned += points

    def score(self) -> float | None:
        """Affiche le bilan et renvoie les points obtenus (None sans vérification cachée)."""
        if self.total == 0:
            print(f"{self.name} : vérifications visibles réussies.")
            return None
        report = "\n".join(f"  ✗ {failure}" for failure in self.failures)
        if self.earned == 0:
            raise AssertionError(f"{self.name} : aucune vérification réussie.\n{report}")
        print(f"{self.name} : {self.earned:g} / {self.total:g} point(s)")
        if report:
            print(report)
        return float(self.earned)
