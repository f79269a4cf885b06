package msg

var helpTexts = map[ID]Text{}
