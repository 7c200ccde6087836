"""Writes a DEP-RL / tonic style MPO checkpoint (torch.save of the model's state_dict) and the
actions that model takes, for sinew's import test. The modules mirror tonic's layout
(ActorCriticWithTargets: actor.torso.model, actor.head.loc_layer / scale_layer, critic.torso,
critic.head.v_layer, observation_normalizer._mean / _std, and the target copies).

usage: tonic_state_dict.py OUT.pt OBS.csv ACTIONS.csv OBS_DIM ACTION_DIM HIDDEN LOW HIGH SEED
Actions: tanh(loc) of the deterministic policy mapped linearly from [-1, 1] onto [LOW, HIGH].
"""
import copy
import sys

import torch


class MeanStd(torch.nn.Module):
    def __init__(self, size):
        super().__init__()
        self._mean = torch.nn.Parameter(torch.randn(size) * 0.5, requires_grad=False)
        self._std = torch.nn.Parameter(torch.rand(size) * 2 + 0.2, requires_grad=False)

    def forward(self, x):
        return torch.clamp((x - self._mean) / self._std, -10, 10)


class Torso(torch.nn.Module):
    def __init__(self, size_in, hidden):
        super().__init__()
        self.model = torch.nn.Sequential(torch.nn.Linear(size_in, hidden), torch.nn.ReLU(),
                                         torch.nn.Linear(hidden, hidden), torch.nn.ReLU())


class GaussianHead(torch.nn.Module):
    def __init__(self, hidden, action_dim):
        super().__init__()
        self.loc_layer = torch.nn.Sequential(torch.nn.Linear(hidden, action_dim), torch.nn.Tanh())
        self.scale_layer = torch.nn.Sequential(torch.nn.Linear(hidden, action_dim),
                                               torch.nn.Softplus())


class ValueHead(torch.nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.v_layer = torch.nn.Linear(hidden, 1)


class Part(torch.nn.Module):
    def __init__(self, torso, head):
        super().__init__()
        self.torso = torso
        self.head = head


class Model(torch.nn.Module):
    def __init__(self, obs_dim, action_dim, hidden):
        super().__init__()
        self.actor = Part(Torso(obs_dim, hidden), GaussianHead(hidden, action_dim))
        self.critic = Part(Torso(obs_dim + action_dim, hidden), ValueHead(hidden))
        self.target_actor = copy.deepcopy(self.actor)
        self.target_critic = copy.deepcopy(self.critic)
        self.observation_normalizer = MeanStd(obs_dim)

    def act(self, obs):
        x = self.observation_normalizer(obs)
        return self.actor.head.loc_layer(self.actor.torso.model(x))


def main():
    out, obs_path, actions_path = sys.argv[1:4]
    obs_dim, action_dim, hidden = (int(v) for v in sys.argv[4:7])
    low, high = float(sys.argv[7]), float(sys.argv[8])
    torch.manual_seed(int(sys.argv[9]))
    model = Model(obs_dim, action_dim, hidden)
    with torch.no_grad():  # spread the means over [-1, 1]
        model.actor.head.loc_layer[0].weight.mul_(4.0)
    torch.save(model.state_dict(), out)
    rows = [[float(v) for v in line.split(",")] for line in open(obs_path) if line.strip()]
    with torch.no_grad():
        a = model.act(torch.tensor(rows, dtype=torch.float32))
        actions = low + 0.5 * (torch.clamp(a, -1, 1) + 1.0) * (high - low)
    with open(actions_path, "w") as f:
        for row in actions.tolist():
            f.write(",".join(repr(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
