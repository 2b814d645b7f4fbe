# "Learn the Basics" — Save and Load the Model (beginner_source/basics/saveloadrun_tutorial.py),
# unchanged except: torchvision.models comes from the lb_vision stand-in (a small VGG-style net
# for 1×8×8 digits; pretrained weights cannot be downloaded), and files go to a temporary
# directory. Notebook outputs are print()ed. course_lib writes its own safe format (no pickle).
# Lines marked "# parity: random" print random-derived numbers.
import os
import tempfile

import torch
from lb_vision import models

os.chdir(tempfile.mkdtemp())

# Saving and Loading Model Weights
model = models.vgg16(weights='IMAGENET1K_V1')
torch.save(model.state_dict(), 'model_weights.pth')

model = models.vgg16() # we do not specify ``weights``, i.e. create untrained model
print(model.load_state_dict(torch.load('model_weights.pth', weights_only=True)))
print(model.eval())

# Saving and Loading Models with Shapes
torch.save(model, 'model.pth')

model = torch.load('model.pth', weights_only=False),
print(model)
print(model[0](torch.ones(2, 1, 8, 8)).shape)
