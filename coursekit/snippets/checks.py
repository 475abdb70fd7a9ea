# Outil de notation des cellules de test (cellule fournie, ne pas modifier).
import contextlib
import io
import warnings


class Checks:
    """Barème d'une cellule de test : chaque vérification cachée rapporte des points.

    Les vérifications visibles sont de simples `assert` ; les vérifications cachées passent
    par `check`, et `score()` renvoie le total obtenu, que nbgrader lit comme la note de la
    cellule. Un échec n'arrête pas les autres vérifications : son message est affiché.

    En notation automatique, une cellule peut remplacer le temps d'un bloc `with checks.isolated():`
    les fonctions et données des exercices précédents par des versions de référence : une
    erreur n'est ainsi comptée qu'une fois, dans l'exercice où elle se trouve.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.earned = 0.0
        self.total = 0.0
        self.failures: list[str] = []
        self._namespace: dict = {}
        self._references: dict = {}

    def use_references(self, namespace: dict, **references) -> None:
        """Enregistre les objets de référence à installer dans `namespace` pendant `isolated()`."""
        self._namespace, self._references = namespace, references

    @contextlib.contextmanager
    def isolated(self):
        """Installe les références (s'il y en a) le temps du bloc, puis remet les objets d'origine."""
        saved = {name: self._namespace[name] for name in self._references if name in self._namespace}
        self._namespace.update(self._references)
        try:
            yield
        finally:
            for name in self._references:
                if name in saved:
                    self._namespace[name] = saved[name]
                else:
                    self._namespace.pop(name, None)

    def check(self, points: float, description: str, test) -> None:
        """Exécute `test()` isolé et sans rien écrire sur stderr ; des points s'il ne lève rien."""
        self.total += points
        try:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()), self.isolated():
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
