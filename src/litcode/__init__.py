"""litcode: curate code corpora, observe training, protect checkpoints — with PyTorch Lightning."""

__version__ = "0.1.0"
