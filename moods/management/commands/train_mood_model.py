"""Train the mood CNN on an ImageFolder dataset with train/ and val/ sub-folders.

    python manage.py train_mood_model --data /work/shared/datasets/fer2013 --labels ferplus --epochs 60
    python manage.py train_mood_model --data DIR --epochs 2 --limit 500 --width 8 --out /tmp/try.pt
    python manage.py train_mood_model --data DIR --teacher ml_weights/mood_cnn.pt --out /tmp/student.pt

The best epoch (by val accuracy and macro-F1) is kept at --out, which defaults to
ml_weights/mood_cnn.new.pt so a run never overwrites the shipped ml_weights/mood_cnn.pt by accident.
A checkpoint next to it (<out>.resume.pt) lets an interrupted run continue where it stopped.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ._mood_common import existing_folder, percent, print_json, progress, project_path, weights_out_path

DEFAULT_OUT = "ml_weights/mood_cnn.new.pt"


def _number(kind, ok, rule: str):
    """An argparse type: a ``kind`` (int or float) for which ``ok`` holds; ``rule`` says which are allowed."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {text}")
        return value

    return parse


def _positive(kind):
    return _number(kind, lambda value: value > 0, "above 0")


_fraction = _number(float, lambda value: 0 <= value <= 1, "between 0 and 1")
_non_negative_int = _number(int, lambda value: value >= 0, "0 or more")
_non_negative_float = _number(float, lambda value: value >= 0, "0 or more")


class Command(BaseCommand):
    help = "Train the mood CNN (best epoch saved to --out, default ml_weights/mood_cnn.new.pt)."

    def add_arguments(self, parser):
        from moods.ml.training import TrainConfig

        defaults = TrainConfig(data="")
        parser.add_argument("--data", required=True, help="folder with train/ and val/ (one sub-folder per mood)")
        parser.add_argument("--labels", choices=("ferplus", "fer2013", "folder"), default=defaults.labels,
                            help="ferplus: FER+ relabels from ferplus_labels.csv; fer2013/folder: folder names "
                                 f"(default {defaults.labels})")
        parser.add_argument("--epochs", type=_positive(int), default=defaults.epochs)
        parser.add_argument("--out", default=DEFAULT_OUT,
                            help=f"where the best weights go (default {DEFAULT_OUT}, relative to the project)")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--width", type=_positive(int), default=defaults.width, help="channels of the first stage")
        parser.add_argument("--batch-size", type=_positive(int), default=defaults.batch_size)
        parser.add_argument("--lr", type=_positive(float), default=defaults.lr)
        parser.add_argument("--teacher", default="",
                            help="distil from this weights file too (e.g. ml_weights/mood_cnn.pt): the net also "
                                 "learns the teacher's softened reading of each augmented face")
        parser.add_argument("--distill", type=_fraction, default=defaults.distill,
                            help=f"weight of the teacher's term, 0-1 (default {defaults.distill})")
        parser.add_argument("--distill-temperature", type=_positive(float), default=defaults.distill_temperature,
                            help=f"softening of both nets' outputs in that term (default {defaults.distill_temperature})")
        parser.add_argument("--teacher-flip", action="store_true",
                            help="average the teacher's reading of each face with that of its mirror image, "
                                 "as the app reads faces (a better target; the teacher costs twice as much)")
        parser.add_argument("--other-faces", action="store_true",
                            help="also learn the teacher's reading of the train/ faces FER+ names no mood of ours "
                                 "(surprise, fear, disgust, contempt, unknown; no label loss for them). "
                                 "Needs --teacher and --labels ferplus")
        parser.add_argument("--class-weight-power", type=_non_negative_float,
                            default=defaults.class_weight_power,
                            help="how much rarer moods weigh in the labels' loss: (all faces / faces of the mood) "
                                 f"to this power; 0: all alike, 1: inverse frequency (default "
                                 f"{defaults.class_weight_power})")
        parser.add_argument("--cutmix", type=_fraction, default=defaults.cutmix,
                            help="probability that a batch is CutMixed, 0-1 (default "
                                 f"{defaults.cutmix}; 0: never)")
        parser.add_argument("--erase", type=_fraction, default=defaults.erase,
                            help="probability of a random erasing box per face, 0-1 (default "
                                 f"{defaults.erase}; 0: never)")
        parser.add_argument("--init", default="",
                            help="start from the network in this weights file instead of random weights "
                                 "(fine-tuning; usually with a lower --lr and fewer --epochs); same --width")
        parser.add_argument("--limit", type=_non_negative_int, default=0,
                            help="train on a seeded random subset of this many faces (0: all)")
        parser.add_argument("--threads", type=_non_negative_int, default=0, help="torch threads (0: every core)")
        parser.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=None,
                            help="bfloat16 autocast (default: on when the CPU has native bf16, AVX512-BF16/AMX; "
                                 "emulated bf16 is many times slower)")
        parser.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                            help="continue from <out>.resume.pt when it exists (default) or start afresh")
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    @staticmethod
    def _input_weights(path: str, option: str, out: Path) -> str:
        """The absolute path of a weights file the run reads (--teacher, --init); never --out itself."""
        if not path:
            return ""
        resolved = str(project_path(path).resolve())
        if resolved == str(out.resolve()):
            raise CommandError(f"--{option} and --out are the same file; write the new weights elsewhere")
        return resolved

    def handle(self, *args, **opts):
        from moods.ml.cpu import bf16_native
        from moods.ml.errors import DatasetError, WeightsError
        from moods.ml.training import TrainConfig, train

        data = existing_folder(opts["data"])
        for split in ("train", "val"):
            if not (data / split).is_dir():
                raise CommandError(f"--data: {data} needs train/ and val/ sub-folders (no {split}/ found)")
        out = weights_out_path(opts["out"])
        checkpoint = out.with_suffix(".resume.pt")
        teacher, init = (self._input_weights(opts[option], option, out) for option in ("teacher", "init"))
        as_json = opts["json"]
        say = (lambda text: self.stderr.write(text)) if as_json else (lambda text: self.stdout.write(text))

        config = TrainConfig(
            data=str(data), labels=opts["labels"], epochs=opts["epochs"], batch_size=opts["batch_size"],
            lr=opts["lr"], width=opts["width"], seed=opts["seed"], limit=opts["limit"], threads=opts["threads"],
            bf16=bf16_native() if opts["bf16"] is None else opts["bf16"], teacher=teacher,
            distill=opts["distill"], distill_temperature=opts["distill_temperature"],
            other_faces=opts["other_faces"], teacher_flip=opts["teacher_flip"],
            class_weight_power=opts["class_weight_power"], init=init, cutmix=opts["cutmix"],
            erase=opts["erase"],
        )
        if checkpoint.exists() and not opts["resume"]:
            checkpoint.unlink()
            say(f"--no-resume: removed the old checkpoint {checkpoint}")
        elif checkpoint.exists():
            say(f"resuming from {checkpoint} (pass --no-resume to start afresh)")

        state = {"bar": None}

        def on_batch(epoch: int, step: int, steps: int, loss: float) -> None:
            if step == 1 or state["bar"] is None:
                if state["bar"] is not None:
                    state["bar"].close()
                state["bar"] = progress(self, total=steps, desc=f"epoch {epoch + 1}/{config.epochs}",
                                        unit="batch", leave=False)
            state["bar"].update(1)
            state["bar"].set_postfix(loss=f"{loss:.4f}", refresh=False)
            if step == steps:
                state["bar"].close()
                state["bar"] = None

        def on_epoch(record: dict) -> None:
            recall = " ".join(f"{mood} {value:.2f}" for mood, value in record["val_recall"].items())
            say(f"epoch {record['epoch']}/{config.epochs}  loss {record['train_loss']:.4f}  "
                f"val acc {percent(record['val_accuracy'])}  macro-F1 {record['val_macro_f1']:.3f}  "
                f"recall: {recall}  {record['seconds']:.1f} s" + ("  * best, saved" if record["best"] else ""))

        teacher_text = ""
        if teacher:
            teacher_text = (f", teacher {teacher} (weight {config.distill}, T {config.distill_temperature}"
                            f"{', mirror-averaged' if config.teacher_flip else ''})")
        say(f"training {config.epochs} epoch(s) on {data} (labels: {config.labels}, width {config.width}, "
            f"{'bfloat16' if config.bf16 else 'float32'}, seed {config.seed}{f', limit {config.limit}' if config.limit else ''}"
            f", class-weight power {config.class_weight_power}, CutMix {config.cutmix}, erasing {config.erase}"
            f"{teacher_text}{', plus the FER+ other faces' if config.other_faces else ''}"
            f"{f', starting from {init}' if init else ''}) -> {out}")
        try:
            result = train(config, out=out, checkpoint=checkpoint, on_batch=on_batch, on_epoch=on_epoch,
                           load_progress=lambda items: progress(self, items, desc="loading faces", unit="img",
                                                                leave=False))
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        except WeightsError as exc:  # the message names the option (--teacher or --init)
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            raise CommandError(f"interrupted; run the same command again to resume from {checkpoint}") from None
        except OSError as exc:
            raise CommandError(f"could not write the weights: {exc}") from None
        finally:
            if state["bar"] is not None:
                state["bar"].close()

        best = result["best"]
        if best is None:
            raise CommandError("training produced no epoch")
        if as_json:
            print_json(self, {"out": str(out), "checkpoint": str(checkpoint), **result})
            return
        counts = ", ".join(f"{m} {n}" for m, n in result["train_counts"].items())
        other = f", plus {result['train_other_faces']} other faces (teacher only)" if result["train_other_faces"] else ""
        self.stdout.write(f"train faces: {counts}{other}")
        self.stdout.write(self.style.SUCCESS(
            f"best epoch {best['epoch']}: val acc {percent(best['val_accuracy'])}, "
            f"macro-F1 {best['val_macro_f1']:.3f}; weights saved to {out}"))
        if Path(out).resolve() != Path(settings.MOOD_WEIGHTS_PATH).resolve():
            self.stdout.write(f"(the app serves {settings.MOOD_WEIGHTS_PATH}; copy the file there to use it)")
